package io.chatplatform.history.message;

import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.history.search.SearchTerms;
import io.chatplatform.history.store.Docs;
import io.chatplatform.common.event.ForwardOf;
import io.chatplatform.common.event.Mentions;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * A document of collection {@code messages}: {@code _id} = msgId, the fields of the message event,
 * {@code at} (the send time as a BSON date, for the optional retention TTL index) and {@code convSeq}
 * ({@code "<conv>:<seq>"}, see {@link #convSeq}). Unique {@code {conv, seq}}; sparse index on {@code convSeq} (see {@link io.chatplatform.history.store.IndexSetup}).
 */
public final class MessageDocument {

    public static final String ID = "_id";
    public static final String CONV = "conv";
    public static final String SEQ = "seq";
    public static final String FROM = "from";
    public static final String FROM_DEVICE = "fromDevice";
    public static final String SENDER_TYPE = "senderType";
    public static final String KIND = "kind";
    public static final String BODY = "body";
    public static final String MEDIA = "media";
    public static final String TS = "ts";
    public static final String AT = "at";
    public static final String CONV_SEQ = "convSeq";
    /** Search terms of the body ({@link SearchTerms#index}); left out of every view. */
    public static final String TERMS = "terms";
    /** {@code agents} on a desk agent's private note (absent otherwise). */
    public static final String VISIBILITY = "visibility";
    public static final String REPLY_TO = "replyTo";
    /** User ids the message mentions; {@code mentionsAll: true} for {@code ["all"]}. */
    public static final String MENTIONS = "mentions";
    public static final String MENTIONS_ALL = "mentionsAll";
    public static final String FORWARD_OF = "forwardOf";
    // written by the fold (io.chatplatform.history.lifecycle.MessageFold)
    public static final String EDITED = "edited";
    public static final String EDITED_AT = "editedAt";
    public static final String RECALLED = "recalled";
    public static final String RECALLED_BY = "recalledBy";
    public static final String RECALLED_AT = "recalledAt";
    /** emoji → [uid], in the order they reacted. */
    public static final String REACTIONS = "reactions";
    /** Users who hid the message ("delete for me"): left out of their pages. */
    public static final String HIDDEN_FOR = "hiddenFor";
    /** Never served: the body and media as sent and every edit's text, kept for audit. */
    public static final String AUDIT = "audit";

    private MessageDocument() {
    }

    public static Document of(MessageEvent e) {
        Document d = new Document(ID, e.msgId())
                .append(CONV, e.conv())
                .append(SEQ, e.seq())
                .append(FROM, e.from());
        Docs.putIfNotNull(d, FROM_DEVICE, e.fromDevice());
        d.append(SENDER_TYPE, e.senderType() == null ? MessageEvent.USER : e.senderType());
        Docs.putIfNotNull(d, KIND, e.kind());
        Docs.putIfNotNull(d, BODY, e.body());
        if (e.body() != null && !e.body().isEmpty()) {
            d.append(TERMS, SearchTerms.index(e.body()));
        }
        if (e.media() != null) {
            d.append(MEDIA, media(e.media()));
        }
        Docs.putIfNotNull(d, VISIBILITY, e.visibility());
        if (e.replyTo() != null) {
            Document reply = new Document("msgId", e.replyTo().msgId()).append("seq", e.replyTo().seq())
                    .append("from", e.replyTo().from());
            Docs.putIfNotNull(reply, "kind", e.replyTo().kind());
            Docs.putIfNotNull(reply, "preview", e.replyTo().preview());
            d.append(REPLY_TO, reply);
        }
        if (e.mentions() != null) {
            if (e.mentions().all()) {
                d.append(MENTIONS_ALL, true);
            } else {
                d.append(MENTIONS, e.mentions().uids());
            }
        }
        if (e.forwardOf() != null) {
            d.append(FORWARD_OF, new Document("conv", e.forwardOf().conv()).append("msgId", e.forwardOf().msgId()));
        }
        return d.append(TS, e.ts()).append(AT, new Date(e.ts())).append(CONV_SEQ, convSeq(e.conv(), e.seq()));
    }

    /** Whether {@code uid} hid this message. */
    public static boolean hiddenFor(Document d, long uid) {
        List<?> hidden = d.getList(HIDDEN_FOR, Object.class);
        if (hidden == null) {
            return false;
        }
        for (Object h : hidden) {
            if (h instanceof Number n && n.longValue() == uid) {
                return true;
            }
        }
        return false;
    }

    /**
     * The position of a message as one string key, {@code "<conv>:<seq>"} (conversation ids never contain ':').
     * It duplicates {@code {conv, seq}} so that a page whose seqs are known can be fetched as exact lookups on a
     * single-field unique index ({@code convSeq $in [...]}): a point lookup per message on MongoDB, and the only
     * query shape besides plain equality that an in-memory stand-in serves from an index rather than a scan.
     * Documents stored before the field existed lack it (the index is sparse): such pages use the range query.
     */
    public static String convSeq(String conv, long seq) {
        return conv + ':' + seq;
    }

    /** The served shape: never the audit fields, and no content once recalled. */
    public static MessageView view(Document d) {
        boolean recalled = Boolean.TRUE.equals(d.getBoolean(RECALLED));
        return new MessageView(MessageView.TYPE, d.getString(ID), d.getString(CONV), Docs.getLong(d, SEQ, 0),
                Docs.getLong(d, FROM, 0), d.getString(FROM_DEVICE), d.getString(SENDER_TYPE), d.getString(KIND),
                recalled ? null : d.getString(BODY), recalled ? null : media(d.get(MEDIA, Document.class)),
                Docs.getLong(d, TS, 0), Boolean.TRUE.equals(d.getBoolean(EDITED)) && !recalled ? Boolean.TRUE : null,
                recalled ? null : Docs.getLongOrNull(d, EDITED_AT), recalled ? Boolean.TRUE : null,
                recalled ? null : reactions(d.get(REACTIONS, Document.class)), replyTo(d.get(REPLY_TO, Document.class)),
                mentions(d), forwardOf(d.get(FORWARD_OF, Document.class)), d.getString(VISIBILITY));
    }

    private static Map<String, List<Long>> reactions(Document d) {
        if (d == null || d.isEmpty()) {
            return null;
        }
        Map<String, List<Long>> reactions = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : d.entrySet()) {
            List<Long> uids = new ArrayList<>();
            if (e.getValue() instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Number n) {
                        uids.add(n.longValue());
                    }
                }
            }
            if (!uids.isEmpty()) {
                reactions.put(e.getKey(), uids);
            }
        }
        return reactions.isEmpty() ? null : reactions;
    }

    private static MessageView.ReplyView replyTo(Document d) {
        if (d == null) {
            return null;
        }
        boolean recalled = Boolean.TRUE.equals(d.getBoolean("recalled"));
        return new MessageView.ReplyView(d.getString("msgId"), Docs.getLong(d, "seq", 0), Docs.getLong(d, "from", 0),
                d.getString("kind"), recalled ? null : d.getString("preview"), recalled ? Boolean.TRUE : null);
    }

    private static Mentions mentions(Document d) {
        if (Boolean.TRUE.equals(d.getBoolean(MENTIONS_ALL))) {
            return Mentions.everyone();
        }
        List<?> uids = d.getList(MENTIONS, Object.class);
        if (uids == null) {
            return null;
        }
        List<Long> list = new ArrayList<>(uids.size());
        for (Object o : uids) {
            if (o instanceof Number n) {
                list.add(n.longValue());
            }
        }
        return Mentions.of(list);
    }

    private static ForwardOf forwardOf(Document d) {
        return d == null ? null : new ForwardOf(d.getString("conv"), d.getString("msgId"));
    }

    public static Document media(Media m) {
        Document d = new Document();
        Docs.putIfNotNull(d, "url", m.url());
        Docs.putIfNotNull(d, "mime", m.mime());
        Docs.putIfNotNull(d, "size", m.size());
        Docs.putIfNotNull(d, "name", m.name());
        Docs.putIfNotNull(d, "width", m.width());
        Docs.putIfNotNull(d, "height", m.height());
        Docs.putIfNotNull(d, "durationMs", m.durationMs());
        Docs.putIfNotNull(d, "id", m.id());
        Docs.putIfNotNull(d, "sha256", m.sha256());
        Docs.putIfNotNull(d, "thumbnail", m.thumbnail());
        return d;
    }

    private static Media media(Document d) {
        if (d == null) {
            return null;
        }
        return new Media(d.getString("url"), d.getString("mime"), Docs.getLongOrNull(d, "size"), d.getString("name"),
                Docs.getIntOrNull(d, "width"), Docs.getIntOrNull(d, "height"), Docs.getIntOrNull(d, "durationMs"), d.getString("id"),
                d.getString("sha256"), d.getString("thumbnail"));
    }
}

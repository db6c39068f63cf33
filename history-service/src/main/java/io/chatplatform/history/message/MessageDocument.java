package io.chatplatform.history.message;

import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.history.search.SearchTerms;
import io.chatplatform.history.store.Docs;
import java.util.Date;
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
        return d.append(TS, e.ts()).append(AT, new Date(e.ts())).append(CONV_SEQ, convSeq(e.conv(), e.seq()));
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

    public static MessageView view(Document d) {
        return new MessageView(MessageView.TYPE, d.getString(ID), d.getString(CONV), Docs.getLong(d, SEQ, 0),
                Docs.getLong(d, FROM, 0), d.getString(FROM_DEVICE), d.getString(SENDER_TYPE), d.getString(KIND),
                d.getString(BODY), media(d.get(MEDIA, Document.class)), Docs.getLong(d, TS, 0), d.getString(VISIBILITY));
    }

    private static Document media(Media m) {
        Document d = new Document();
        Docs.putIfNotNull(d, "url", m.url());
        Docs.putIfNotNull(d, "mime", m.mime());
        Docs.putIfNotNull(d, "size", m.size());
        Docs.putIfNotNull(d, "name", m.name());
        Docs.putIfNotNull(d, "width", m.width());
        Docs.putIfNotNull(d, "height", m.height());
        Docs.putIfNotNull(d, "durationMs", m.durationMs());
        return d;
    }

    private static Media media(Document d) {
        if (d == null) {
            return null;
        }
        return new Media(d.getString("url"), d.getString("mime"), Docs.getLongOrNull(d, "size"), d.getString("name"),
                Docs.getIntOrNull(d, "width"), Docs.getIntOrNull(d, "height"), Docs.getIntOrNull(d, "durationMs"));
    }
}

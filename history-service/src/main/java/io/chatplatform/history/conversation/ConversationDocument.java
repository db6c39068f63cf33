package io.chatplatform.history.conversation;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.history.message.MessageDocument;
import io.chatplatform.history.store.Docs;
import java.util.Locale;
import org.bson.Document;

/**
 * A document of collection {@code conversations}: {@code _id} = conv, {@code kind}, {@code members}
 * (direct: the two users; desk: the customer and every agent who served; groups: not stored, Redis holds
 * them), {@code lastSeq} (max seq stored), {@code lastMessage} (preview of the message with that seq) and
 * {@code updatedAt} (epoch ms of the newest activity). Every update is a $max / $addToSet / conditional
 * $set, so applying events twice or out of order gives the same document.
 */
public final class ConversationDocument {

    public static final String ID = "_id";
    public static final String KIND = "kind";
    public static final String MEMBERS = "members";
    public static final String LAST_SEQ = "lastSeq";
    public static final String LAST_MESSAGE = "lastMessage";
    public static final String UPDATED_AT = "updatedAt";

    /** Longest preview text, in characters (code points). */
    public static final int PREVIEW_LENGTH = 100;

    private ConversationDocument() {
    }

    public static String kind(ConversationId.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** {@code {msgId, seq, from, senderType, kind, text, ts}} where text is the body cut to 100 characters. */
    public static Document preview(MessageEvent e) {
        Document d = new Document("msgId", e.msgId()).append("seq", e.seq()).append("from", e.from());
        Docs.putIfNotNull(d, "senderType", e.senderType());
        Docs.putIfNotNull(d, "kind", e.kind());
        Docs.putIfNotNull(d, "text", previewText(e.body()));
        return d.append("ts", e.ts());
    }

    /** The preview of a stored message document, as it is now (edited text; no text once recalled). */
    public static Document preview(Document message) {
        boolean recalled = Boolean.TRUE.equals(message.getBoolean(MessageDocument.RECALLED));
        Document d = new Document("msgId", message.getString(MessageDocument.ID))
                .append("seq", Docs.getLong(message, MessageDocument.SEQ, 0)).append("from", Docs.getLong(message, MessageDocument.FROM, 0));
        Docs.putIfNotNull(d, "senderType", message.getString(MessageDocument.SENDER_TYPE));
        Docs.putIfNotNull(d, "kind", message.getString(MessageDocument.KIND));
        if (recalled) {
            d.append("recalled", true);
        } else {
            Docs.putIfNotNull(d, "text", previewText(message.getString(MessageDocument.BODY)));
            if (Boolean.TRUE.equals(message.getBoolean(MessageDocument.EDITED))) {
                d.append("edited", true);
            }
        }
        return d.append("ts", Docs.getLong(message, MessageDocument.TS, 0));
    }

    public static String previewText(String body) {
        if (body == null) {
            return null;
        }
        int length = body.codePointCount(0, body.length());
        if (length <= PREVIEW_LENGTH) {
            return body;
        }
        return body.substring(0, body.offsetByCodePoints(0, PREVIEW_LENGTH));
    }

    public static LastMessageView previewView(Document d) {
        if (d == null) {
            return null;
        }
        boolean recalled = Boolean.TRUE.equals(d.getBoolean("recalled"));
        return new LastMessageView(d.getString("msgId"), Docs.getLong(d, "seq", 0), Docs.getLong(d, "from", 0),
                d.getString("senderType"), d.getString("kind"), recalled ? null : d.getString("text"), Docs.getLong(d, "ts", 0),
                !recalled && Boolean.TRUE.equals(d.getBoolean("edited")) ? Boolean.TRUE : null, recalled ? Boolean.TRUE : null);
    }
}

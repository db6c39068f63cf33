package io.chatplatform.history.lifecycle;

import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.history.store.Docs;
import java.util.Date;
import org.bson.Document;

/**
 * A document of collection {@code updates}: one per update event, {@code _id} = {@code "<conv>:<seq>"} (a hide, which
 * has no seq: {@code "hide:<conv>:<msgId>:<uid>"}), so a replayed event is a duplicate key, i.e. already stored.
 * Fields: the event's, plus {@code hiddenFor} (copied from the message by the fold) and {@code at}. An edit's
 * {@code body} is removed once its message is recalled (the message's {@code audit} keeps it, never served).
 */
public final class UpdateDocument {

    public static final String ID = "_id";
    public static final String CONV = "conv";
    public static final String SEQ = "seq";
    public static final String MSG_ID = "msgId";
    public static final String OP = "op";
    public static final String BY = "by";
    public static final String BY_DEVICE = "byDevice";
    public static final String TS = "ts";
    public static final String BODY = "body";
    public static final String EMOJI = "emoji";
    public static final String HIDDEN_FOR = "hiddenFor";
    public static final String AT = "at";

    private UpdateDocument() {
    }

    public static String id(UpdateEvent e) {
        return e.seq() == null ? "hide:" + e.conv() + ":" + e.msgId() + ":" + e.by() : e.conv() + ":" + e.seq();
    }

    public static Document of(UpdateEvent e) {
        Document d = new Document(ID, id(e)).append(CONV, e.conv());
        Docs.putIfNotNull(d, SEQ, e.seq());
        d.append(MSG_ID, e.msgId()).append(OP, e.op()).append(BY, e.by());
        Docs.putIfNotNull(d, BY_DEVICE, e.byDevice());
        Docs.putIfNotNull(d, BODY, e.body());
        Docs.putIfNotNull(d, EMOJI, e.emoji());
        return d.append(TS, e.ts()).append(AT, new Date(e.ts()));
    }

    public static UpdateView view(Document d) {
        return new UpdateView(UpdateView.TYPE, d.getString(CONV), Docs.getLongOrNull(d, SEQ), d.getString(MSG_ID),
                d.getString(OP), Docs.getLong(d, BY, 0), d.getString(BY_DEVICE), Docs.getLong(d, TS, 0), d.getString(BODY),
                d.getString(EMOJI));
    }
}

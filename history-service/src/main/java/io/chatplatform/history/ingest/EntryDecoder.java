package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.ReadEvent;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.chatplatform.common.event.StreamEventCodec.MalformedEventException;
import java.util.Optional;

/**
 * Turns a log entry into a {@link Decoded}: the chat-common codec decides the shape (unknown types are
 * skipped), then the values history depends on are checked, because an event that cannot be stored
 * correctly is poison just like malformed JSON.
 */
public final class EntryDecoder {

    static final int MAX_ID_LENGTH = 128;

    private EntryDecoder() {
    }

    public static Decoded decode(LogEntry entry) {
        if (entry.isMissing()) {
            return new Decoded.Missing(entry);
        }
        String json = entry.event();
        if (json == null) {
            return new Decoded.Poison(entry, "malformed: no field 'e'");
        }
        Optional<StreamEvent> event;
        try {
            event = StreamEventCodec.decode(json);
        } catch (MalformedEventException e) {
            return new Decoded.Poison(entry, "malformed: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Decoded.Poison(entry, "malformed: " + e.getClass().getSimpleName());
        }
        if (event.isEmpty()) {
            return new Decoded.Skipped(entry);
        }
        String invalid = invalid(event.get());
        return invalid == null ? new Decoded.Accepted(entry, event.get()) : new Decoded.Poison(entry, "invalid: " + invalid);
    }

    /** Why the event cannot be stored, or null when it is fine. */
    static String invalid(StreamEvent event) {
        Optional<ConversationId> conv = ConversationId.parse(event.conv());
        if (conv.isEmpty()) {
            return "conv '" + event.conv() + "' is not a conversation id";
        }
        if (event instanceof MessageEvent m) {
            if (m.msgId() == null || m.msgId().isBlank() || m.msgId().length() > MAX_ID_LENGTH) {
                return "msgId missing or too long";
            }
            if (m.seq() < 1) {
                return "seq must be >= 1";
            }
            return null;
        }
        if (event instanceof ReadEvent r) {
            return r.seq() < 0 ? "seq must be >= 0" : null;
        }
        if (event instanceof DeskEvent d) {
            if (conv.get().kind() != ConversationId.Kind.DESK) {
                return "desk event outside a desk conversation";
            }
            if (d.action() == null || d.state() == null) {
                return "desk event without action or state";
            }
            return null;
        }
        if (event instanceof UpdateEvent u) {
            if (u.msgId() == null || u.msgId().isBlank() || u.msgId().length() > MAX_ID_LENGTH || u.op() == null) {
                return "update without msgId or op";
            }
            if (u.sequenced() && (u.seq() == null || u.seq() < 1)) {
                return "update without seq";
            }
            return null;
        }
        return "unsupported event";
    }
}

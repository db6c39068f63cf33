package io.chatplatform.chat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.common.event.ForwardOf;
import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.Mentions;
import io.chatplatform.common.event.ReplyTo;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.common.event.MessageEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Server → client frames, serialized once per message however many devices receive them. Frames in are read by
 * {@link FrameParser}, with its parsing limits; this mapper writes frames out and reads back the acks it wrote.
 */
public final class ServerFrames {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerFrames() {
    }

    public static String json(Object frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ack this class wrote (the stored ack of a first send), again with another frame's correlation id. */
    public static String ackAgain(String storedAck, String frameId) {
        try {
            return json(JSON.readValue(storedAck, Ack.class).withId(frameId));
        } catch (JsonProcessingException e) {
            throw new FrameException(ErrorCode.INTERNAL, "stored ack unreadable");
        }
    }

    public static String error(String id, ErrorCode code, String message) {
        return json(new Error("error", id, code.name(), message));
    }

    public static String message(MessageEvent event) {
        return json(new Message("message", event.msgId(), event.conv(), event.seq(), event.from(), event.fromDevice(),
                event.senderType(), event.kind(), event.body(), event.media(), event.ts(), event.replyTo(), event.mentions(),
                event.forwardOf(), event.visibility()));
    }

    public static String update(UpdateEvent event) {
        return json(new Update("update", event.conv(), event.seq(), event.msgId(), event.op(), event.by(), event.byDevice(),
                event.ts(), event.body(), event.emoji()));
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String type, String id, String code, String message) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String type, String msgId, String conv, long seq, long from, String fromDevice,
            String senderType, String kind, String body, Media media, long ts, ReplyTo replyTo, Mentions mentions,
            ForwardOf forwardOf, String visibility) {
    }

    /** A change to an earlier message: {@code op} edit, recall, react, unreact (with a seq) or hide (without). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Update(String type, String conv, Long seq, String msgId, String op, long by, String byDevice, long ts,
            String body, String emoji) {
    }

    /** Reply to {@code send}: {@code {type:"ack", id, msgId, conv, seq, ts}}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ack(String type, String id, String msgId, String conv, Long seq, Long ts) {
        public static Ack of(String id, String msgId, String conv, long seq, long ts) {
            return new Ack("ack", id, msgId, conv, seq, ts);
        }

        public Ack withId(String newId) {
            return new Ack(type, newId, msgId, conv, seq, ts);
        }
    }

    @RegisterForReflection
    public record Receipt(String type, String conv, long uid, long seq) {
        public static Receipt of(String conv, long uid, long seq) {
            return new Receipt("receipt", conv, uid, seq);
        }
    }

    @RegisterForReflection
    public record Typing(String type, String conv, long uid, String fromDevice) {
        public static Typing of(String conv, long uid, String device) {
            return new Typing("typing", conv, uid, device);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pong(String type, String id, long ts) {
    }
}

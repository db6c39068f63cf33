package io.chatplatform.chat.desk;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.conversation.ConversationId;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Set;

/** The {@code desk.*} client frames: each one's fields are parsed here and the work handed to {@link Desk}. */
@Singleton
public class DeskFrameHandler implements FrameHandler {

    private static final int MAX_COMMENT_CHARS = 1000;

    private final Desk desk;
    private final int maxBodyChars;

    public DeskFrameHandler(Desk desk, ChatConfig config) {
        this.desk = desk;
        this.maxBodyChars = config.limits().maxBodyChars();
    }

    @Override
    public Set<String> types() {
        return Set.of("desk.open", "desk.grab", "desk.transfer", "desk.accept", "desk.decline", "desk.close", "desk.status",
                "desk.note", "desk.rate");
    }

    @Override
    public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
        return switch (frame.type()) {
            case "desk.open" -> desk.open(connection, frame.id(), topic(frame));
            case "desk.grab" -> desk.grab(connection, frame.id(), ticketId(frame));
            case "desk.transfer" -> desk.transfer(connection, frame.id(), ticketId(frame), frame.requiredPositiveLong("toAgent"));
            case "desk.accept" -> desk.accept(connection, frame.id(), ticketId(frame));
            case "desk.decline" -> desk.decline(connection, frame.id(), ticketId(frame));
            case "desk.close" -> desk.close(connection, frame.id(), ticketId(frame));
            case "desk.status" -> desk.status(connection, frame.id(), status(frame));
            case "desk.note" -> desk.note(connection, frame.id(), ticketId(frame), body(frame));
            case "desk.rate" -> desk.rate(connection, frame.id(), ticketId(frame), score(frame),
                    frame.optionalString("comment", MAX_COMMENT_CHARS));
            default -> throw new IllegalArgumentException(frame.type());
        };
    }

    private static String topic(ClientFrame frame) {
        String topic = frame.requiredString("topic", 200).strip();
        if (topic.isEmpty()) {
            throw FrameException.invalid("'topic' must not be blank");
        }
        return topic;
    }

    private static String status(ClientFrame frame) {
        String status = frame.requiredString("status", 16);
        if (!DeskAvailability.STATUSES.contains(status)) {
            throw FrameException.invalid("'status' must be online, away or offline");
        }
        return status;
    }

    private String body(ClientFrame frame) {
        String body = frame.requiredString("body", maxBodyChars);
        if (body.isBlank()) {
            throw FrameException.invalid("'body' must not be blank");
        }
        return body;
    }

    private static int score(ClientFrame frame) {
        long score = frame.requiredPositiveLong("score");
        if (score < 1 || score > 5) {
            throw FrameException.invalid("'score' must be an integer from 1 to 5");
        }
        return (int) score;
    }

    private static long ticketId(ClientFrame frame) {
        return ConversationId.parse(frame.requiredString("ticket", 32))
                .filter(conv -> conv.kind() == ConversationId.Kind.DESK)
                .orElseThrow(() -> FrameException.invalid("'ticket' must be a ticket id like c.42"))
                .number();
    }
}

package io.chatplatform.chat.desk;

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

    private final Desk desk;

    public DeskFrameHandler(Desk desk) {
        this.desk = desk;
    }

    @Override
    public Set<String> types() {
        return Set.of("desk.open", "desk.grab", "desk.transfer", "desk.accept", "desk.decline", "desk.close");
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

    private static long ticketId(ClientFrame frame) {
        return ConversationId.parse(frame.requiredString("ticket", 32))
                .filter(conv -> conv.kind() == ConversationId.Kind.DESK)
                .orElseThrow(() -> FrameException.invalid("'ticket' must be a ticket id like c.42"))
                .number();
    }
}

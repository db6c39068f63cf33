package io.chatplatform.chat.desk;

import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.conversation.ConversationId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code desk.*} client frames: each parses its fields and hands over to {@link Desk}. */
public final class DeskFrameHandlers {

    private DeskFrameHandlers() {
    }

    static long ticketId(ClientFrame frame) {
        return ConversationId.parse(frame.requiredString("ticket", 32))
                .filter(conv -> conv.kind() == ConversationId.Kind.DESK)
                .orElseThrow(() -> FrameException.invalid("'ticket' must be a ticket id like c.42"))
                .number();
    }

    @ApplicationScoped
    public static class Open implements FrameHandler {
        private final Desk desk;

        public Open(Desk desk) {
            this.desk = desk;
        }

        @Override
        public String type() {
            return "desk.open";
        }

        @Override
        public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
            String topic = frame.requiredString("topic", 200).strip();
            if (topic.isEmpty()) {
                throw FrameException.invalid("'topic' must not be blank");
            }
            return desk.open(connection, frame.id(), topic);
        }
    }

    @ApplicationScoped
    public static class Grab implements FrameHandler {
        private final Desk desk;

        public Grab(Desk desk) {
            this.desk = desk;
        }

        @Override
        public String type() {
            return "desk.grab";
        }

        @Override
        public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
            return desk.grab(connection, frame.id(), ticketId(frame));
        }
    }

    @ApplicationScoped
    public static class Transfer implements FrameHandler {
        private final Desk desk;

        public Transfer(Desk desk) {
            this.desk = desk;
        }

        @Override
        public String type() {
            return "desk.transfer";
        }

        @Override
        public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
            return desk.transfer(connection, frame.id(), ticketId(frame), frame.requiredPositiveLong("toAgent"));
        }
    }

    @ApplicationScoped
    public static class Accept implements FrameHandler {
        private final Desk desk;

        public Accept(Desk desk) {
            this.desk = desk;
        }

        @Override
        public String type() {
            return "desk.accept";
        }

        @Override
        public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
            return desk.accept(connection, frame.id(), ticketId(frame));
        }
    }

    @ApplicationScoped
    public static class Decline implements FrameHandler {
        private final Desk desk;

        public Decline(Desk desk) {
            this.desk = desk;
        }

        @Override
        public String type() {
            return "desk.decline";
        }

        @Override
        public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
            return desk.decline(connection, frame.id(), ticketId(frame));
        }
    }

    @ApplicationScoped
    public static class Close implements FrameHandler {
        private final Desk desk;

        public Close(Desk desk) {
            this.desk = desk;
        }

        @Override
        public String type() {
            return "desk.close";
        }

        @Override
        public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
            return desk.close(connection, frame.id(), ticketId(frame));
        }
    }
}

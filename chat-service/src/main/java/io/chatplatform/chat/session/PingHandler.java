package io.chatplatform.chat.session;

import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.protocol.ServerFrames;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Set;

/** Application-level heartbeat for clients that cannot see protocol pings. */
@Singleton
public class PingHandler implements FrameHandler {

    @Override
    public Set<String> types() {
        return Set.of("ping");
    }

    @Override
    public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
        connection.send(ServerFrames.json(new ServerFrames.Pong("pong", frame.id(), System.currentTimeMillis())));
        return Uni.createFrom().voidItem();
    }
}

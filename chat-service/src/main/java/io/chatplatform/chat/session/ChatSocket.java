package io.chatplatform.chat.session;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

/**
 * {@code GET /ws}: authenticated at the HTTP upgrade by {@link UpgradeGate} (bearer header, subprotocol header, or
 * one-time ticket); no credentials means 401 and no upgrade. Every callback is non-blocking and runs on the event
 * loop.
 */
@WebSocket(path = "/ws")
public class ChatSocket {

    private static final Logger LOG = Logger.getLogger(ChatSocket.class);

    private final ConnectionLifecycle lifecycle;
    private final FrameDispatcher dispatcher;

    public ChatSocket(ConnectionLifecycle lifecycle, FrameDispatcher dispatcher) {
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection socket) {
        return lifecycle.open(socket);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(WebSocketConnection socket, String text) {
        ClientConnection connection = lifecycle.get(socket);
        if (connection != null) {
            dispatcher.onText(connection, text);
        }
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(WebSocketConnection socket, Buffer data) {
        ClientConnection connection = lifecycle.get(socket);
        if (connection != null) {
            dispatcher.onBinary(connection);
        }
    }

    @OnPongMessage
    @NonBlocking
    public void onPong(WebSocketConnection socket, Buffer data) {
        ClientConnection connection = lifecycle.get(socket);
        if (connection != null) {
            connection.touch();
        }
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection socket) {
        return lifecycle.close(socket);
    }

    @OnError
    @NonBlocking
    public void onError(WebSocketConnection socket, Throwable failure) {
        ClientConnection connection = lifecycle.get(socket);
        if (connection != null && isMessageTooLarge(failure)) {
            dispatcher.onTooLarge(connection);
            return;
        }
        LOG.debugf("connection %s failed: %s", socket.id(), failure.toString());
    }

    /** Vert.x reports a message over its size limit only as this exception, without closing the socket. */
    private static boolean isMessageTooLarge(Throwable failure) {
        return failure instanceof IllegalStateException && failure.getMessage() != null
                && failure.getMessage().contains("max message size");
    }
}

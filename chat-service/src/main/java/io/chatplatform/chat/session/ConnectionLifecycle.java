package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.presence.Presence;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Event;

/** Opens and closes device sessions: the local registry and the presence that routes to this instance. */
@Singleton
public class ConnectionLifecycle {

    private final Connections connections;
    private final Presence presence;
    private final ChatConfig config;
    private final Counter framesSent;
    private final Counter slowReadersClosed;
    private final ConnectionCapCheck cap;
    private final Event<ConnectionOpened> opened;
    private final Event<ConnectionClosed> closed;

    public ConnectionLifecycle(Connections connections, Presence presence, ChatConfig config, MeterRegistry metrics,
            ConnectionCapCheck cap, Event<ConnectionOpened> opened, Event<ConnectionClosed> closed) {
        this.opened = opened;
        this.closed = closed;
        this.cap = cap;
        this.framesSent = metrics.counter("chat.frames.sent");
        this.slowReadersClosed = metrics.counter("chat.connections.closed.slow");
        this.connections = connections;
        this.presence = presence;
        this.config = config;
    }

    Uni<Void> open(WebSocketConnection socket) {
        AuthenticatedDevice device = socket.userData().get(UpgradeGate.DEVICE);
        if (device == null) { // never upgraded without one; refuse rather than serve an anonymous socket
            return socket.close(new CloseReason(CloseReason.INTERNAL_SERVER_ERROR.getCode(), "not authenticated"));
        }
        Channel channel = socket.userData().get(UpgradeGate.CHANNEL);
        WireChannel.guard(channel);
        ClientConnection connection = new ClientConnection(socket, channel, device, config.limits(), framesSent,
                slowReadersClosed);
        connections.add(connection);
        cap.opened(device.uid()); // after add: the user's count is never below the truth
        return presence.online(connection.uid(), connection.deviceId())
                .onFailure().recoverWithNull() // refreshed again within a third of the presence TTL
                .invoke(() -> opened.fire(new ConnectionOpened(connection)));
    }

    ClientConnection get(WebSocketConnection socket) {
        return connections.byId(socket.id());
    }

    Uni<Void> close(WebSocketConnection socket) {
        ClientConnection connection = connections.byId(socket.id());
        if (connection == null) {
            return Uni.createFrom().voidItem();
        }
        connections.remove(connection);
        var others = connections.ofUser(connection.uid());
        boolean deviceStillHere = others.stream().anyMatch(other -> other.deviceId().equals(connection.deviceId()));
        Uni<Void> left = deviceStillHere ? Uni.createFrom().voidItem()
                : presence.offline(connection.uid(), connection.deviceId()).onFailure().recoverWithNull();
        return left.invoke(() -> closed.fire(new ConnectionClosed(connection, !others.isEmpty())));
    }
}

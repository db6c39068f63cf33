package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Closes connections whose peer went silent: the server pings every connection (auto-ping), a live peer
 * answers with a pong, so silence longer than {@code chat.heartbeat-timeout} means a dead peer or network.
 */
@Singleton
public class HeartbeatSweeper {

    private static final Logger LOG = Logger.getLogger(HeartbeatSweeper.class);

    private final Connections connections;
    private final long timeoutNanos;

    public HeartbeatSweeper(Connections connections, ChatConfig config) {
        this.connections = connections;
        this.timeoutNanos = config.heartbeatTimeout().toNanos();
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(Math.max(100, timeoutNanos / 4_000_000), id -> sweep());
    }

    void sweep() {
        long now = System.nanoTime();
        for (ClientConnection connection : connections.all()) {
            if (connection.silentNanos(now) > timeoutNanos) {
                LOG.debugf("closing silent connection %s", connection.id());
                connection.close(CloseCodes.GOING_AWAY, "no heartbeat").subscribe().with(ok -> { }, failure -> { });
            }
        }
    }
}

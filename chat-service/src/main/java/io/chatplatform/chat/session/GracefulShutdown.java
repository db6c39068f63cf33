package io.chatplatform.chat.session;

import io.chatplatform.chat.delivery.InboxReader;
import io.chatplatform.chat.presence.Presence;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * On shutdown: close every connection with 1001 (clients reconnect, with backoff, to another instance), stop
 * the inbox reader after what it read is delivered, and remove this instance's presence and inbox.
 * Connections are closed as soon as the shutdown delay starts (readiness is down, the load balancer stops
 * sending new ones), not after the HTTP layer waited out its graceful timeout on open WebSockets.
 */
@Singleton
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event, Connections connections) {
        closeAll(connections).subscribe().with(ok -> { }, failure -> LOG.warnf("closing connections failed: %s", failure));
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event, Connections connections,
            InboxReader inbox, Presence presence) {
        try {
            closeAll(connections).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("not every connection closed cleanly: %s", e.getMessage());
        }
        inbox.stop();
        try {
            presence.leave().await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.warnf("could not remove this instance's presence: %s", e.getMessage());
        }
    }

    private static Uni<Void> closeAll(Connections connections) {
        List<ClientConnection> open = List.copyOf(connections.all());
        if (open.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("closing %d connections with 1001", open.size());
        return Uni.join().all(open.stream().map(c -> c.close(CloseCodes.GOING_AWAY, "server shutting down")).toList())
                .andCollectFailures().replaceWithVoid();
    }
}

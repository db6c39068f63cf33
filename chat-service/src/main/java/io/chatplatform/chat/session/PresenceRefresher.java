package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.log.RedisDataLost;
import io.chatplatform.chat.presence.Presence;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/** Keeps this instance alive and its devices present in Redis: every third of the presence TTL, and after a data loss. */
@Singleton
public class PresenceRefresher {

    private static final Logger LOG = Logger.getLogger(PresenceRefresher.class);

    private final Connections connections;
    private final Presence presence;
    private final long periodMillis;

    public PresenceRefresher(Connections connections, Presence presence, ChatConfig config) {
        this.connections = connections;
        this.presence = presence;
        this.periodMillis = Math.max(1000, config.presence().ttl().toMillis() / 3);
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        refresh();
        vertx.setPeriodic(periodMillis, id -> refresh());
    }

    /** Redis lost data: this instance's liveness and its devices' presence are re-asserted at once, not in a third of the TTL. */
    void onDataLost(@ObservesAsync RedisDataLost lost) {
        refresh();
    }

    void refresh() {
        Map<Long, Set<String>> devices = new HashMap<>();
        for (ClientConnection connection : connections.all()) {
            devices.computeIfAbsent(connection.uid(), uid -> new HashSet<>()).add(connection.deviceId());
        }
        presence.refresh(devices).subscribe().with(ok -> { }, failure -> LOG.warnf("presence refresh failed: %s", failure.toString()));
    }
}

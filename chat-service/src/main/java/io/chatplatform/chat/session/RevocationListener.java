package io.chatplatform.chat.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.common.redis.ResilientSubscription;
import io.chatplatform.common.session.SessionKeys;
import io.chatplatform.common.session.SessionRevoked;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.inject.Singleton;
import java.time.Duration;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Listens on {@code auth:events}: when a device token is replaced, logged out, kicked or revoked, the sockets
 * opened with that token close with 4001 and the reason. The subscription comes back after Redis restarts; what was
 * published meanwhile is caught by {@link SessionAudit}.
 */
@Singleton
public class RevocationListener {

    private static final Logger LOG = Logger.getLogger(RevocationListener.class);
    /** How often the subscription checks that it still hears its own probe. */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final Connections connections;
    private final ObjectMapper json;

    public RevocationListener(ReactiveRedisDataSource redis, Connections connections, ObjectMapper json) {
        this.redis = redis;
        this.connections = connections;
        this.json = json;
    }

    void start(@Observes StartupEvent event) {
        ResilientSubscription.start(redis, SessionKeys.EVENTS_CHANNEL, PROBE_INTERVAL, this::onEvent);
    }

    void onEvent(String message) {
        SessionRevoked event;
        try {
            event = json.readValue(message, SessionRevoked.class);
        } catch (java.io.IOException e) {
            LOG.debugf("ignoring unreadable auth event");
            return;
        }
        if (!SessionRevoked.TYPE.equals(event.type())) {
            return;
        }
        for (ClientConnection connection : connections.ofUser(event.uid())) {
            if (connection.deviceId().equals(event.did()) && connection.device().jti().equals(event.jti())) {
                String reason = event.reason() == null ? "session revoked" : "session " + event.reason();
                connection.close(CloseCodes.SESSION_REVOKED, reason).subscribe().with(ok -> { }, failure -> { });
            }
        }
    }
}

package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.session.SessionKeys;
import io.chatplatform.common.redis.RedisPipeline;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The safety net behind {@link RevocationListener}: pub/sub is fire-and-forget, so every
 * {@code chat.session-audit-interval} all open connections' sessions are checked in one pipelined batch and
 * those whose token is no longer the device's current one are closed with 4001.
 */
@Singleton
public class SessionAudit {

    private static final Logger LOG = Logger.getLogger(SessionAudit.class);

    private final Connections connections;
    private final RedisPipeline pipeline;
    private final long intervalMillis;

    public SessionAudit(Connections connections, RedisPipeline pipeline, ChatConfig config) {
        this.connections = connections;
        this.pipeline = pipeline;
        this.intervalMillis = Math.max(100, config.sessionAuditInterval().toMillis());
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(intervalMillis, id -> audit());
    }

    void audit() {
        List<ClientConnection> open = List.copyOf(connections.all());
        if (open.isEmpty()) {
            return;
        }
        List<Request> checks = new ArrayList<>(open.size());
        for (ClientConnection connection : open) {
            checks.add(Request.cmd(Command.HGET).arg(SessionKeys.sessions(connection.uid())).arg(connection.deviceId()));
        }
        pipeline.batch(checks).subscribe().with(current -> {
            for (int i = 0; i < open.size(); i++) {
                Response jti = current.get(i);
                ClientConnection connection = open.get(i);
                if (jti == null || !jti.toString().equals(connection.device().jti())) {
                    connection.close(CloseCodes.SESSION_REVOKED, "session ended").subscribe().with(ok -> { }, failure -> { });
                }
            }
        }, failure -> LOG.warnf("session audit failed: %s", failure.toString()));
    }
}

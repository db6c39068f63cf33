package io.chatplatform.auth.group;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.common.redis.ResilientSubscription;
import io.chatplatform.common.session.GroupKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Serves rebuild requests on {@code auth:mirror:rebuild} (message: a group id): chat publishes one when
 * {@code group:{gid}:members} is missing and polls for the members set or {@code group:{gid}:absent}. A request for a
 * group already being rebuilt here is dropped. The subscription outlives Redis restarts and checks itself with a probe
 * ({@link ResilientSubscription}, shared with chat's {@code auth:events} listener).
 */
@ApplicationScoped
public class RebuildRequestListener {

    private static final Logger LOG = Logger.getLogger(RebuildRequestListener.class);
    private static final Duration MIN_PROBE_INTERVAL = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final MirrorRebuild rebuild;
    private final Duration probeInterval;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private ExecutorService workers;

    public RebuildRequestListener(ReactiveRedisDataSource redis, MirrorRebuild rebuild, AuthConfig config) {
        this.redis = redis;
        this.rebuild = rebuild;
        Duration check = config.mirror().checkInterval();
        this.probeInterval = check.compareTo(MIN_PROBE_INTERVAL) < 0 ? MIN_PROBE_INTERVAL : check;
    }

    void onStart(@Observes StartupEvent event) {
        workers = Executors.newFixedThreadPool(2, task -> {
            Thread t = new Thread(task, "auth-mirror-requests");
            t.setDaemon(true);
            return t;
        });
        ResilientSubscription.start(redis, GroupKeys.REBUILD_CHANNEL, probeInterval, this::onMessage);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    void onMessage(String message) {
        long groupId;
        try {
            groupId = Long.parseLong(message.strip());
        } catch (NumberFormatException e) {
            return; // not a request
        }
        if (groupId <= 0 || !inFlight.add(groupId)) {
            return;
        }
        try {
            workers.execute(() -> serve(groupId));
        } catch (RejectedExecutionException | NullPointerException stopping) {
            inFlight.remove(groupId);
        }
    }

    private void serve(long groupId) {
        try {
            boolean exists = rebuild.group(groupId);
            LOG.debugf("rebuild request for group %d served (%s)", groupId, exists ? "rebuilt" : "absent");
        } catch (RuntimeException e) {
            LOG.warnf("rebuild request for group %d failed: %s", groupId, e.toString());
        } finally {
            inFlight.remove(groupId);
        }
    }
}

package io.chatplatform.auth.group;

import io.chatplatform.common.session.GroupKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Serves rebuild requests on {@code auth:mirror:rebuild} (message: a group id): chat publishes one when
 * {@code group:{gid}:members} is missing and polls for the members set or {@code group:{gid}:absent}. A request for a
 * group already being rebuilt here is dropped. When the subscription ends or fails (Redis restarted, unreachable) it
 * is made again after {@value #RESUBSCRIBE_DELAY_MS} ms, until it succeeds.
 */
@ApplicationScoped
public class RebuildRequestListener {

    private static final Logger LOG = Logger.getLogger(RebuildRequestListener.class);
    static final long RESUBSCRIBE_DELAY_MS = 500;

    private final ReactivePubSubCommands<String> pubsub;
    private final MirrorRebuild rebuild;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService workers;
    private volatile Cancellable subscription;
    private volatile boolean running;

    public RebuildRequestListener(ReactiveRedisDataSource redis, MirrorRebuild rebuild) {
        this.pubsub = redis.pubsub(String.class);
        this.rebuild = rebuild;
    }

    void onStart(@Observes StartupEvent event) {
        workers = Executors.newScheduledThreadPool(2, task -> {
            Thread t = new Thread(task, "auth-mirror-requests");
            t.setDaemon(true);
            return t;
        });
        running = true;
        subscribe();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        Cancellable current = subscription;
        if (current != null) {
            current.cancel();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    private void subscribe() {
        if (!running) {
            return;
        }
        subscription = pubsub.subscribe(GroupKeys.REBUILD_CHANNEL).subscribe().with(this::onRequest,
                failure -> resubscribe("failed: " + failure), () -> resubscribe("ended"));
    }

    private void resubscribe(String why) {
        if (!running) {
            return;
        }
        LOG.infof("%s subscription %s; subscribing again", GroupKeys.REBUILD_CHANNEL, why);
        try {
            workers.schedule(this::subscribe, RESUBSCRIBE_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down
        }
    }

    void onRequest(String message) {
        long groupId;
        try {
            groupId = Long.parseLong(message.strip());
        } catch (NumberFormatException e) {
            LOG.debugf("ignoring rebuild request %s", message);
            return;
        }
        if (groupId <= 0 || !inFlight.add(groupId)) {
            return;
        }
        try {
            workers.execute(() -> serve(groupId));
        } catch (RejectedExecutionException stopping) {
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

package io.chatplatform.auth.group;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.common.session.GroupKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Serves rebuild requests on {@code auth:mirror:rebuild} (message: a group id): chat publishes one when
 * {@code group:{gid}:members} is missing and polls for the members set or {@code group:{gid}:absent}. A request for a
 * group already being rebuilt here is dropped.
 *
 * <p>The subscription must outlive Redis restarts. When it ends or fails it is made again after
 * {@value #RESUBSCRIBE_DELAY_MS} ms, until that succeeds; and since a connection can also go quiet without either
 * signal, the same subscription listens on {@value #PROBE_CHANNEL}, where this instance publishes a token of its own
 * every check interval (at least 2 s): when the previous token has not come back, the subscription is made again.
 */
@ApplicationScoped
public class RebuildRequestListener {

    /** auth-internal: each instance's liveness probe of its own subscription (message: the instance's token). */
    static final String PROBE_CHANNEL = GroupKeys.REBUILD_CHANNEL + ":probe";
    static final long RESUBSCRIBE_DELAY_MS = 500;
    private static final long MIN_PROBE_INTERVAL_MS = 2000;
    private static final Logger LOG = Logger.getLogger(RebuildRequestListener.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final MirrorRebuild rebuild;
    private final long probeIntervalMs;
    private final String probeToken = UUID.randomUUID().toString();
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** Bumped by every subscribe: signals of an older subscription are ignored. */
    private final AtomicLong generation = new AtomicLong();
    private ScheduledExecutorService workers;
    private volatile Cancellable subscription;
    private volatile boolean running;
    private volatile long probeSentAt;
    private volatile long probeSeenAt;

    public RebuildRequestListener(ReactiveRedisDataSource redis, MirrorRebuild rebuild, AuthConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.rebuild = rebuild;
        this.probeIntervalMs = Math.max(MIN_PROBE_INTERVAL_MS, config.mirror().checkInterval().toMillis());
    }

    void onStart(@Observes StartupEvent event) {
        workers = Executors.newScheduledThreadPool(2, task -> {
            Thread t = new Thread(task, "auth-mirror-requests");
            t.setDaemon(true);
            return t;
        });
        running = true;
        subscribe();
        workers.scheduleWithFixedDelay(this::probe, probeIntervalMs, probeIntervalMs, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        cancelCurrent();
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    private synchronized void subscribe() {
        if (!running) {
            return;
        }
        cancelCurrent();
        long mine = generation.incrementAndGet();
        subscription = pubsub.subscribe(GroupKeys.REBUILD_CHANNEL, PROBE_CHANNEL).subscribe().with(
                this::onMessage,
                failure -> resubscribe(mine, "failed: " + failure),
                () -> resubscribe(mine, "ended"));
    }

    private void cancelCurrent() {
        Cancellable current = subscription;
        subscription = null;
        if (current != null) {
            current.cancel();
        }
    }

    private void resubscribe(long of, String why) {
        if (!running || of != generation.get()) {
            return;
        }
        LOG.infof("%s subscription %s; subscribing again", GroupKeys.REBUILD_CHANNEL, why);
        schedule(this::subscribe, RESUBSCRIBE_DELAY_MS);
    }

    /** Publishes this instance's token; subscribes again when the previous one did not come back. */
    void probe() {
        if (probeSentAt != 0 && probeSeenAt < probeSentAt) {
            LOG.infof("%s subscription silent (own probe not received); subscribing again", GroupKeys.REBUILD_CHANNEL);
            subscribe();
        }
        probeSentAt = System.nanoTime();
        pubsub.publish(PROBE_CHANNEL, probeToken).subscribe().with(receivers -> { }, failure -> { });
    }

    void onMessage(String message) {
        if (message.equals(probeToken)) {
            probeSeenAt = System.nanoTime();
            return;
        }
        long groupId;
        try {
            groupId = Long.parseLong(message.strip());
        } catch (NumberFormatException e) {
            return; // another instance's probe, or not a request
        }
        if (groupId <= 0 || !inFlight.add(groupId)) {
            return;
        }
        if (!schedule(() -> serve(groupId), 0)) {
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

    private boolean schedule(Runnable task, long delayMs) {
        try {
            workers.schedule(task, delayMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException | NullPointerException stopping) {
            return false;
        }
    }
}

package io.chatplatform.auth.group;

import io.chatplatform.auth.block.Blocks;
import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.common.redis.ResilientSubscription;
import io.chatplatform.auth.user.UserMirrorRebuild;
import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.common.session.UserKeys;
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
 * Serves rebuild requests on {@code auth:mirror:rebuild}. A group id: chat publishes one when
 * {@code group:{gid}:members} is missing and polls for the members set or {@code group:{gid}:absent}. {@code user:{uid}}:
 * chat found no bit for that id in the user-id mirror ({@link UserKeys}) and polls for the bit or the absent marker. A request for a
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
    private final UserMirrorRebuild userIds;
    private final Blocks blocks;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private ExecutorService workers;

    public RebuildRequestListener(ReactiveRedisDataSource redis, MirrorRebuild rebuild, UserMirrorRebuild userIds,
            Blocks blocks, AuthConfig config) {
        this.redis = redis;
        this.blocks = blocks;
        this.rebuild = rebuild;
        this.userIds = userIds;
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
        String request = message.strip();
        if (request.startsWith(UserKeys.BLOCKS_REQUEST_PREFIX)) {
            onBlocksRequest(request);
            return;
        }
        boolean user = request.startsWith(UserKeys.REBUILD_REQUEST_PREFIX);
        long id;
        try {
            id = Long.parseLong(user ? request.substring(UserKeys.REBUILD_REQUEST_PREFIX.length()) : request);
        } catch (NumberFormatException e) {
            return; // not a request
        }
        String key = (user ? UserKeys.REBUILD_REQUEST_PREFIX : "") + id;
        if (id <= 0 || !inFlight.add(key)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    if (user) {
                        serveUser(id);
                    } else {
                        serve(id);
                    }
                } finally {
                    inFlight.remove(key);
                }
            });
        } catch (RejectedExecutionException | NullPointerException stopping) {
            inFlight.remove(key);
        }
    }

    /** {@code blocks:{uid}}: chat found no mirror of that user's blocks. */
    private void onBlocksRequest(String request) {
        long uid;
        try {
            uid = Long.parseLong(request.substring(UserKeys.BLOCKS_REQUEST_PREFIX.length()));
        } catch (NumberFormatException e) {
            return;
        }
        if (uid <= 0 || !inFlight.add(request)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    blocks.rebuild(uid);
                } catch (RuntimeException e) {
                    LOG.warnf("request for the blocks of user %d failed: %s", uid, e.toString());
                } finally {
                    inFlight.remove(request);
                }
            });
        } catch (RejectedExecutionException | NullPointerException stopping) {
            inFlight.remove(request);
        }
    }

    private void serveUser(long uid) {
        try {
            boolean exists = userIds.user(uid);
            LOG.debugf("request for user %d served (%s)", uid, exists ? "exists" : "absent");
        } catch (RuntimeException e) {
            LOG.warnf("request for user %d failed: %s", uid, e.toString());
        }
    }

    private void serve(long groupId) {
        try {
            boolean exists = rebuild.group(groupId);
            LOG.debugf("rebuild request for group %d served (%s)", groupId, exists ? "rebuilt" : "absent");
        } catch (RuntimeException e) {
            LOG.warnf("rebuild request for group %d failed: %s", groupId, e.toString());
        }
    }
}

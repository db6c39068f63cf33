package io.chatplatform.auth.group;

import io.chatplatform.auth.block.Blocks;
import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.user.UserMirrorRebuild;
import io.chatplatform.common.session.GroupKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the membership mirrors and the user-id mirror ({@link UserMirrorRebuild}) complete, on one background thread: a full rebuild from MySQL at start-up; every
 * {@code auth.mirror.check-interval} a look at {@code auth:mirror:complete}, whose absence means Redis lost its data
 * (restart without persistence, failover, FLUSHALL) and triggers a full rebuild; every
 * {@code auth.mirror.reconcile-interval} a full reconcile (groups, then every user's reverse set, stale entries
 * removed). The marker is set when a rebuild starts, so a loss during the rebuild removes it again and the next check
 * rebuilds once more. Every instance does this; they only wait on each other's row locks.
 */
@ApplicationScoped
public class MirrorWatcher {

    private static final Logger LOG = Logger.getLogger(MirrorWatcher.class);

    private final MirrorRebuild rebuild;
    private final UserMirrorRebuild userIds;
    private final Blocks blocks;
    private final KeyCommands<String> keys;
    private final ValueCommands<String, String> values;
    private final AuthConfig.Mirror config;
    private ScheduledExecutorService thread;

    public MirrorWatcher(MirrorRebuild rebuild, UserMirrorRebuild userIds, Blocks blocks, RedisDataSource redis,
            AuthConfig config) {
        this.rebuild = rebuild;
        this.blocks = blocks;
        this.userIds = userIds;
        this.keys = redis.key();
        this.values = redis.value(String.class);
        this.config = config.mirror();
    }

    void onStart(@Observes StartupEvent event) {
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "auth-mirror-watcher");
            t.setDaemon(true);
            return t;
        });
        long check = Math.max(1, config.checkInterval().toMillis());
        long reconcile = Math.max(1, config.reconcileInterval().toMillis());
        thread.execute(() -> rebuildAll("start-up", true));
        thread.scheduleWithFixedDelay(this::checkComplete, check, check, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(() -> rebuildAll("periodic reconcile", true), reconcile, reconcile,
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** Rebuilds everything when the complete marker is gone. */
    void checkComplete() {
        boolean complete;
        try {
            complete = keys.exists(GroupKeys.COMPLETE_MARKER);
        } catch (RuntimeException e) {
            LOG.debugf("mirror check: Redis unavailable (%s)", e.toString());
            return;
        }
        if (!complete) {
            rebuildAll("Redis lost the mirrors (" + GroupKeys.COMPLETE_MARKER + " missing)", false);
        }
    }

    /**
     * Sets the complete marker, then rewrites every group's mirror (and with {@code users} every user's reverse set)
     * from MySQL. On failure the marker is removed again so the next check retries.
     */
    void rebuildAll(String reason, boolean users) {
        long started = System.nanoTime();
        try {
            values.set(GroupKeys.COMPLETE_MARKER, UUID.randomUUID().toString());
            long usersStarted = System.nanoTime();
            int ids = userIds.allUsers();
            LOG.infof("user-id mirror (%s): %d users in %d ms", reason, ids, (System.nanoTime() - usersStarted) / 1_000_000);
            long blocksStarted = System.nanoTime();
            int blockers = blocks.rebuildAll();
            LOG.infof("blocks mirror (%s): %d users in %d ms", reason, blockers, (System.nanoTime() - blocksStarted) / 1_000_000);
            started = System.nanoTime();
            int groups = rebuild.allGroups();
            long groupsMs = (System.nanoTime() - started) / 1_000_000;
            int fixed = users ? rebuild.allUsers() : 0;
            LOG.infof("mirror rebuild (%s): %d groups in %d ms%s", reason, groups, groupsMs,
                    users ? ", reverse sets checked in " + ((System.nanoTime() - started) / 1_000_000 - groupsMs)
                            + " ms (" + fixed + " entries fixed)" : "");
        } catch (RuntimeException e) {
            LOG.warnf("mirror rebuild (%s) failed, retried at the next check: %s", reason, e.toString());
            try {
                keys.del(GroupKeys.COMPLETE_MARKER);
            } catch (RuntimeException ignored) {
                // Redis down: the marker is most likely gone with its data anyway
            }
        }
    }
}

package io.chatplatform.auth.refresh;

import io.chatplatform.auth.config.AuthConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletes expired refresh tokens every {@code auth.refresh.cleanup-interval}, in batches, on one background thread.
 * Every instance does it; the deletes of two instances only overlap harmlessly.
 */
@ApplicationScoped
public class RefreshTokenCleanup {

    private static final Logger LOG = Logger.getLogger(RefreshTokenCleanup.class);
    private static final int BATCH = 1000;

    private final RefreshTokens tokens;
    private final long intervalMillis;
    private ScheduledExecutorService thread;

    public RefreshTokenCleanup(RefreshTokens tokens, AuthConfig config) {
        this.tokens = tokens;
        this.intervalMillis = Math.max(1000, config.refresh().cleanupInterval().toMillis());
    }

    void onStart(@Observes StartupEvent event) {
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "auth-refresh-cleanup");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::run, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** Deletes every expired token; returns how many. */
    public int run() {
        int total = 0;
        try {
            int deleted;
            do {
                deleted = tokens.deleteExpired(BATCH);
                total += deleted;
            } while (deleted == BATCH);
            if (total > 0) {
                LOG.infof("deleted %d expired refresh tokens", total);
            }
        } catch (RuntimeException e) {
            LOG.warnf("refresh token clean-up failed, retried at the next interval: %s", e.toString());
        }
        return total;
    }
}

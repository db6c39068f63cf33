package io.chatplatform.history.ingest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the entries a consumer has in hand claimed for as long as it works on them: every claim-idle/3 an
 * XCLAIM ... JUSTID to itself resets their idle time (it does not count as a delivery), so no other consumer's
 * XAUTOCLAIM takes over a batch that is being written slowly or waits for MongoDB. One scheduler thread serves
 * every partition of the process.
 */
public final class ClaimKeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClaimKeeper.class);

    private final LogStreams redis;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "history-ingest-claims");
        t.setDaemon(true);
        return t;
    });

    public ClaimKeeper(LogStreams redis) {
        this.redis = redis;
    }

    /** Starts refreshing {@code ids}; close the hold once they are acknowledged (or abandoned). */
    Hold hold(String stream, String group, String consumer, Duration claimIdle, List<String> ids) {
        long every = Math.max(10, claimIdle.toMillis() / 3);
        List<String> held = List.copyOf(ids);
        ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(() -> {
            try {
                redis.keepClaimed(stream, group, consumer, held);
            } catch (RuntimeException e) {
                LOG.debugf("%s: could not refresh %d pending entries: %s", stream, held.size(), e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** The refresh of one batch; {@link #close()} stops it. */
    interface Hold extends AutoCloseable {
        @Override
        void close();
    }
}

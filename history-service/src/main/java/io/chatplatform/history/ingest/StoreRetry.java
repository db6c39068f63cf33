package io.chatplatform.history.ingest;

import io.chatplatform.common.retry.Backoff;
import com.mongodb.MongoException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one MongoDB retry loop of a partition consumer: runs a store call until it succeeds, waiting with
 * backoff while MongoDB is unavailable ({@link StoreUnavailableException}, or any {@link MongoException} of
 * history's own bookkeeping writes). Nothing is acknowledged meanwhile; the entries in hand stay claimed by
 * the {@link ClaimKeeper}. Only {@link StopSignal#stop()} ends the wait.
 */
final class StoreRetry {

    private static final Logger LOG = Logger.getLogger(StoreRetry.class);

    private final String stream;
    private final ConsumerSettings settings;
    private final IngestMetrics metrics;
    private final StopSignal stop;
    private final Runnable onRetry;

    /** @param onRetry called on the consumer thread before every wait (state RETRYING, progress) */
    StoreRetry(String stream, ConsumerSettings settings, IngestMetrics metrics, StopSignal stop,
            Runnable onRetry) {
        this.stream = stream;
        this.settings = settings;
        this.metrics = metrics;
        this.stop = stop;
        this.onRetry = onRetry;
    }

    /** @param what for the log: what is being stored */
    <T> T call(String what, Supplier<T> attempt) {
        Backoff backoff = settings.retryBackoff();
        int failures = 0;
        while (true) {
            try {
                T result = attempt.get();
                if (failures > 0) {
                    LOG.infof("%s: MongoDB is back; %s stored after %d failed attempts", stream, what, failures);
                }
                return result;
            } catch (StoreUnavailableException | MongoException e) {
                failures++;
                metrics.storeFailure();
                onRetry.run();
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warnf("%s: MongoDB unavailable (%s); %s stays pending, retrying", stream, e.getMessage(), what);
                }
                stop.pause(backoff.nextDelayMs());
            }
        }
    }

    void run(String what, Runnable attempt) {
        call(what, () -> {
            attempt.run();
            return null;
        });
    }
}

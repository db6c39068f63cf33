package io.chatplatform.history.ingest;

import io.chatplatform.common.retry.Backoff;
import io.chatplatform.history.config.HistoryConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/** The knobs of one partition consumer (from {@code history.ingest.*}; tests derive variants). */
public record ConsumerSettings(String group, String consumerName, int batchSize, Duration blockTime, Duration claimIdle,
        Duration claimInterval, int maxDeliveries, Duration retryBackoffInitial, Duration retryBackoffMax,
        Duration cursorInterval, Duration consumerPruneIdle) {

    /** The cursor is written at most this often per partition (and whenever the consumer goes idle). */
    public static final Duration DEFAULT_CURSOR_INTERVAL = Duration.ofSeconds(1);

    public static ConsumerSettings from(HistoryConfig.Ingest c) {
        return new ConsumerSettings(c.group(), c.consumerName().orElseGet(ConsumerSettings::defaultConsumerName),
                Math.max(1, c.batchSize()), c.blockTime(), c.claimIdle(), c.claimInterval(), Math.max(1, c.maxDeliveries()),
                c.retryBackoffInitial(), c.retryBackoffMax(), DEFAULT_CURSOR_INTERVAL, c.consumerPruneIdle());
    }

    /** A fresh retry backoff with these settings (one per retry loop: it keeps the loop's current delay). */
    public Backoff retryBackoff() {
        return new Backoff(retryBackoffInitial, retryBackoffMax);
    }

    /** {@code <hostname>-<8 random hex>}: stable enough to read in XINFO, unique per process. */
    public static String defaultConsumerName() {
        String host;
        try {
            host = System.getenv().getOrDefault("HOSTNAME", InetAddress.getLocalHost().getHostName());
        } catch (Exception e) {
            host = "history";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public ConsumerSettings withConsumerName(String name) {
        return new ConsumerSettings(group, name, batchSize, blockTime, claimIdle, claimInterval, maxDeliveries,
                retryBackoffInitial, retryBackoffMax, cursorInterval, consumerPruneIdle);
    }

    public ConsumerSettings withGroup(String name) {
        return new ConsumerSettings(name, consumerName, batchSize, blockTime, claimIdle, claimInterval, maxDeliveries,
                retryBackoffInitial, retryBackoffMax, cursorInterval, consumerPruneIdle);
    }

    public ConsumerSettings withBatchSize(int size) {
        return new ConsumerSettings(group, consumerName, size, blockTime, claimIdle, claimInterval, maxDeliveries,
                retryBackoffInitial, retryBackoffMax, cursorInterval, consumerPruneIdle);
    }

    public ConsumerSettings withClaim(Duration idle, Duration interval) {
        return new ConsumerSettings(group, consumerName, batchSize, blockTime, idle, interval, maxDeliveries,
                retryBackoffInitial, retryBackoffMax, cursorInterval, consumerPruneIdle);
    }

    public ConsumerSettings withMaxDeliveries(int max) {
        return new ConsumerSettings(group, consumerName, batchSize, blockTime, claimIdle, claimInterval, max,
                retryBackoffInitial, retryBackoffMax, cursorInterval, consumerPruneIdle);
    }

    public ConsumerSettings withConsumerPruneIdle(Duration idle) {
        return new ConsumerSettings(group, consumerName, batchSize, blockTime, claimIdle, claimInterval, maxDeliveries,
                retryBackoffInitial, retryBackoffMax, cursorInterval, idle);
    }

    public ConsumerSettings withBlockTime(Duration block) {
        return new ConsumerSettings(group, consumerName, batchSize, block, claimIdle, claimInterval, maxDeliveries,
                retryBackoffInitial, retryBackoffMax, cursorInterval, consumerPruneIdle);
    }
}

package io.chatplatform.history.ingest;

import org.jboss.logging.Logger;

/** Forgets consumers of the group that hold nothing and have been silent for consumer-prune-idle (crashed processes). */
final class ConsumerPruner {

    private static final Logger LOG = Logger.getLogger(ConsumerPruner.class);

    private final String stream;
    private final ConsumerSettings settings;
    private final LogStreams redis;
    private long nextPruneAt;

    ConsumerPruner(String stream, ConsumerSettings settings, LogStreams redis) {
        this.stream = stream;
        this.settings = settings;
        this.redis = redis;
    }

    /** At most every prune-idle/4. */
    void maybePrune(long now) {
        long idle = settings.consumerPruneIdle().toMillis();
        if (now < nextPruneAt) {
            return;
        }
        nextPruneAt = now + Math.max(1_000, idle / 4);
        for (LogStreams.ConsumerInfo c : redis.consumers(stream, settings.group())) {
            if (c.pending() == 0 && c.idleMs() > idle && !c.name().equals(settings.consumerName())) {
                redis.deleteConsumer(stream, settings.group(), c.name());
                LOG.infof("%s: removed consumer %s (nothing pending, idle %d s)", stream, c.name(), c.idleMs() / 1000);
            }
        }
    }
}

package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.history.config.HistoryConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Group-level gauges per partition, refreshed from Redis every {@code history.metrics.refresh-interval} on
 * its own thread (a scrape never waits for Redis):
 * <ul>
 *   <li>{@code history.ingest.lag.entries{partition}}: entries not yet delivered to the group (XINFO GROUPS
 *       {@code lag} on Redis 7+; on older servers counted with XRANGE up to {@code lag-scan-limit});</li>
 *   <li>{@code history.ingest.lag.millis{partition}}: age of the oldest entry not yet stored, i.e. now minus
 *       the time in the id of the oldest pending or undelivered entry (0 when caught up);</li>
 *   <li>{@code history.ingest.pending{partition}}: entries delivered but not acknowledged;</li>
 *   <li>{@code history.ingest.dead.letter.length}: length of the dead-letter stream.</li>
 * </ul>
 * Every replica reports the same group-wide values: aggregate with max, not sum.
 */
@ApplicationScoped
public class LagMonitor {

    private static final Logger LOG = Logger.getLogger(LagMonitor.class);

    private final HistoryConfig config;
    private final LogStreams streams;
    private final MeterRegistry registry;
    private ScheduledExecutorService scheduler;
    private List<PartitionGauges> gauges;
    private final AtomicLong deadLetterLength = new AtomicLong();

    public LagMonitor(HistoryConfig config, RedisDataSource redis, MeterRegistry registry) {
        this.config = config;
        this.streams = new LogStreams(redis);
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        gauges = new java.util.ArrayList<>();
        for (int p = 0; p < config.partitions(); p++) {
            PartitionGauges g = new PartitionGauges(p);
            String tag = String.valueOf(p);
            Gauge.builder("history.ingest.lag.entries", g.lagEntries, AtomicLong::get).tag("partition", tag)
                    .description("Log entries not yet delivered to the history consumer group").register(registry);
            Gauge.builder("history.ingest.lag.millis", g.lagMillis, AtomicLong::get).tag("partition", tag)
                    .description("Age in ms of the oldest log entry not yet stored (0 when caught up)").register(registry);
            Gauge.builder("history.ingest.pending", g.pending, AtomicLong::get).tag("partition", tag)
                    .description("Entries delivered to a consumer but not yet acknowledged").register(registry);
            gauges.add(g);
        }
        Gauge.builder("history.ingest.dead.letter.length", deadLetterLength, AtomicLong::get)
                .description("Entries in the dead-letter stream").register(registry);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "history-lag-monitor");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.metrics().refreshInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    void refresh() {
        String group = config.ingest().group();
        for (PartitionGauges g : gauges) {
            try {
                refresh(g, LogPartitions.streamKey(g.partition), group);
            } catch (RuntimeException e) {
                LOG.debugf("lag of partition %d not refreshed: %s", g.partition, e.toString());
            }
        }
        try {
            deadLetterLength.set(streams.length(config.ingest().deadLetterStream()));
        } catch (RuntimeException e) {
            LOG.debugf("dead-letter length not refreshed: %s", e.toString());
        }
    }

    private void refresh(PartitionGauges g, String stream, String group) {
        GroupLag lag = GroupLag.of(streams, stream, group, config.metrics().lagScanLimit(), System.currentTimeMillis());
        g.lagEntries.set(lag.entries());
        g.lagMillis.set(lag.millis());
        g.pending.set(lag.pending());
    }

    private static final class PartitionGauges {
        final int partition;
        final AtomicLong lagEntries = new AtomicLong();
        final AtomicLong lagMillis = new AtomicLong();
        final AtomicLong pending = new AtomicLong();

        PartitionGauges(int partition) {
            this.partition = partition;
        }
    }
}

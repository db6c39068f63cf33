package io.chatplatform.history.ingest;

import io.chatplatform.common.retry.Backoff;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.history.store.IndexSetup;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Starts the ingest at application start, off the event loop: a bootstrap thread creates the MongoDB indexes
 * (retrying until MongoDB answers; the unique indexes must exist before the first insert), then one
 * {@link PartitionConsumer} thread per partition (one stream per thread keeps every command single-key, as
 * Redis Cluster requires, and a slow partition never holds up another). At shutdown each consumer finishes
 * its batch; the wait is bounded by {@code history.ingest.shutdown-timeout}.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final HistoryConfig config;
    private final RedisDataSource redis;
    private final HistoryCollections store;
    private final MeterRegistry registry;
    private final List<PartitionConsumer> consumers = new CopyOnWriteArrayList<>();

    private volatile boolean shuttingDown;
    private volatile Thread bootstrap;
    private volatile boolean indexesReady;
    private IngestParts parts; // guarded by this

    public IngestService(HistoryConfig config, RedisDataSource redis, HistoryCollections store, MeterRegistry registry) {
        this.config = config;
        this.redis = redis;
        this.store = store;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.partitions() < 1) {
            throw new IllegalStateException("history.partitions must be at least 1");
        }
        Thread t = new Thread(this::bootstrap, "history-ingest-bootstrap");
        t.setDaemon(true);
        bootstrap = t;
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        List<PartitionConsumer> running;
        synchronized (this) {
            shuttingDown = true;
            running = List.copyOf(consumers);
        }
        running.forEach(PartitionConsumer::stop);
        long deadline = System.currentTimeMillis() + config.ingest().shutdownTimeout().toMillis();
        for (PartitionConsumer c : running) {
            try {
                if (!c.awaitStop(deadline - System.currentTimeMillis())) {
                    LOG.warnf("%s: consumer still busy at shutdown; its batch stays pending", c.stream());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (this) {
            if (parts != null) {
                parts.claims().close();
            }
        }
    }

    private void bootstrap() {
        Backoff retry = ConsumerSettings.from(config.ingest()).retryBackoff();
        while (!shuttingDown) {
            try {
                IndexSetup.ensureIndexes(store, config.retention().messageTtl());
                indexesReady = true;
                break;
            } catch (RuntimeException e) {
                LOG.warnf("cannot create MongoDB indexes yet (%s); retrying", e.toString());
                try {
                    Thread.sleep(retry.nextDelayMs());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        if (shuttingDown || !config.ingest().enabled()) {
            return;
        }
        ConsumerSettings settings = ConsumerSettings.from(config.ingest());
        LogStreams streams = new LogStreams(redis);
        DeadLetters deadLetters = new DeadLetters(streams, store, config.ingest().deadLetterStream(), config.ingest().deadLetterMaxLen());
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
            parts = IngestParts.of(streams, store, deadLetters, new IngestMetrics(registry));
            for (int p = 0; p < config.partitions(); p++) {
                PartitionConsumer consumer = new PartitionConsumer(LogPartitions.streamKey(p), settings, parts);
                consumers.add(consumer);
                consumer.start();
            }
        }
        LOG.infof("consuming %d log partitions as '%s' in group '%s'", config.partitions(), settings.consumerName(),
                settings.group());
    }

    public boolean enabled() {
        return config.ingest().enabled();
    }

    public boolean indexesReady() {
        return indexesReady;
    }

    /** True while the bootstrap thread is still preparing (e.g. waiting for MongoDB). */
    public boolean starting() {
        Thread t = bootstrap;
        return t != null && t.isAlive();
    }

    public List<PartitionConsumer> consumers() {
        return List.copyOf(consumers);
    }
}

package io.chatplatform.chat.log;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.redis.StreamId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jboss.logging.Logger;

/**
 * Keeps the log streams short without losing anything: every {@code chat.log.trim-interval} each partition is trimmed
 * ({@code XTRIM MINID}) below the lowest entry some consumer group has not stored ({@link ConsumerProgress}), so while
 * history is down or slow its entries stay. What is left is the backlog ({@code chat.log.backlog.entries}). Only past
 * {@code chat.log.hard-limit} entries (every consumer stuck for very long, Redis memory at risk) are the oldest
 * unconsumed entries dropped, counted in {@code chat.log.trimmed.unconsumed} and alerted on. A stream with no consumer
 * group is only held to the hard limit. Every instance trims; doing it twice is harmless.
 */
@Singleton
public class LogTrimmer {

    private static final Logger LOG = Logger.getLogger(LogTrimmer.class);

    private final RedisPipeline pipeline;
    private final ConsumerProgress progress;
    private final RecentAppends recent;
    private final LogEpochs epochs;
    private final LogRecovery recovery;
    private final int partitions;
    private final long hardLimit;
    private final long intervalMillis;
    private final AtomicLongArray backlog;
    private final Counter trimmedUnconsumed;
    private final AtomicBoolean running = new AtomicBoolean();

    public LogTrimmer(RedisPipeline pipeline, ConsumerProgress progress, RecentAppends recent, LogEpochs epochs,
            LogRecovery recovery, ChatConfig config, MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.progress = progress;
        this.recent = recent;
        this.epochs = epochs;
        this.recovery = recovery;
        this.partitions = config.log().partitions();
        this.hardLimit = config.log().hardLimit();
        this.intervalMillis = Math.max(100, config.log().trimInterval().toMillis());
        this.backlog = new AtomicLongArray(partitions);
        this.trimmedUnconsumed = metrics.counter("chat.log.trimmed.unconsumed");
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            Gauge.builder("chat.log.backlog.entries", backlog, b -> b.get(partition))
                    .tag("partition", String.valueOf(p))
                    .description("log entries some consumer group has not stored yet (after trimming)")
                    .register(metrics);
        }
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(intervalMillis, id -> trimAll());
    }

    /** One pass over every partition; a pass still running is not overlapped. */
    public void trimAll() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Uni<Void> pass = Uni.createFrom().voidItem();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            pass = pass.flatMap(done -> trim(partition).onFailure().recoverWithItem(failure -> {
                LOG.debugf("trimming %s failed: %s", LogPartitions.streamKey(partition), failure.toString());
                return null;
            }));
        }
        pass.onTermination().invoke(() -> running.set(false)).subscribe().with(ok -> { }, failure -> { });
    }

    /** Trims one partition: below the groups' progress, then to the hard limit. */
    private Uni<Boolean> sameStream(int partition) {
        return pipeline.send(LogEpochs.read(partition)).map(epoch -> epochs.current(partition, epoch));
    }

    public Uni<Void> trim(int partition) {
        String stream = LogPartitions.streamKey(partition);
        // the groups' progress only says something about this instance's appends while the stream is the one it appended
        // to: checked before and after reading it (a recreated stream's progress would drop entries it never held)
        return sameStream(partition).flatMap(before -> !before ? recovery.recover(partition).replaceWith(Optional.<StreamId>empty())
                : progress.storedBelow(stream).flatMap(floor -> sameStream(partition).map(after -> after ? floor : Optional.<StreamId>empty())))
                .flatMap(floor -> {
                    Uni<Void> byProgress = floor.isEmpty() ? Uni.createFrom().voidItem()
                            : pipeline.send(Request.cmd(Command.XTRIM).arg(stream).arg("MINID").arg(floor.get().toString()))
                                    .invoke(() -> recent.consumedBelow(partition, floor.get()))
                                    .replaceWithVoid();
                    return byProgress.flatMap(done -> pipeline.send(Request.cmd(Command.XLEN).arg(stream)));
                }).flatMap(length -> {
            long left = length == null ? 0 : length.toLong();
            if (hardLimit <= 0 || left <= hardLimit) {
                backlog.set(partition, left);
                return Uni.createFrom().voidItem();
            }
            return pipeline.send(Request.cmd(Command.XTRIM).arg(stream).arg("MAXLEN").arg(hardLimit)).invoke(removed -> {
                long dropped = removed == null ? 0 : removed.toLong();
                trimmedUnconsumed.increment(dropped);
                backlog.set(partition, left - dropped);
                LOG.errorf("log stream %s held %d entries not yet stored by every consumer group, over chat.log.hard-limit %d: "
                        + "dropped the oldest %d of them", stream, left, hardLimit, dropped);
            }).replaceWithVoid();
        });
    }
}

package io.chatplatform.chat.log;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.redis.StreamId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Brings a log stream back after Redis lost it: recreates it together with its consumer groups (from id 0, so they
 * read everything appended from now on), then appends again this instance's {@link RecentAppends} of that partition
 * (consumers store each event once by its id, so the ones they already had are harmless). Fires {@link RedisDataLost}
 * so other state that lives only in Redis (presence) is re-asserted at once. Also creates missing streams and groups
 * at start-up, so nothing appended before history-service first starts is missed.
 */
@Singleton
public class LogRecovery {

    private static final Logger LOG = Logger.getLogger(LogRecovery.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

    private final RedisPipeline pipeline;
    private final RecentAppends recent;
    private final LogEpochs epochs;
    private final List<String> groups;
    private final int partitions;
    private final Event<RedisDataLost> lost;
    private final Counter recoveries;
    private final Map<Integer, Uni<Void>> inFlight = new ConcurrentHashMap<>();

    public LogRecovery(RedisPipeline pipeline, RecentAppends recent, LogEpochs epochs, ChatConfig config,
            Event<RedisDataLost> lost, MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.recent = recent;
        this.epochs = epochs;
        this.groups = config.log().consumerGroups();
        this.partitions = config.log().partitions();
        this.lost = lost;
        this.recoveries = metrics.counter("chat.log.streams.recovered");
    }

    void onStart(@Observes StartupEvent event) {
        List<Uni<Void>> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(ensureStream(p));
        }
        try {
            Uni.join().all(all).andCollectFailures().await().atMost(STARTUP_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("could not check the log's consumer groups at start-up (Redis unavailable?): %s", e.toString());
        }
    }

    /**
     * Recreates partition {@code p}'s stream and groups when they are gone, takes note of its incarnation, and re-appends
     * its recent entries; one recovery at a time per partition.
     */
    Uni<Void> recover(int partition) {
        return inFlight.computeIfAbsent(partition, p -> ensureStream(p)
                .flatMap(known -> replay(p))
                .invoke(() -> {
                    recoveries.increment();
                    lost.fireAsync(new RedisDataLost("log stream " + LogPartitions.streamKey(p) + " was gone"));
                })
                .onTermination().invoke(() -> inFlight.remove(p))
                .memoize().indefinitely());
    }

    private Uni<Void> replay(int partition) {
        List<String> events = recent.drain(partition);
        LOG.warnf("log stream %s was lost (Redis lost data): (re)created with groups %s, appending %d recent events again",
                LogPartitions.streamKey(partition), groups, events.size());
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Request> appends = events.stream().map(json -> MessageLog.xadd(partition, json)).toList();
        return pipeline.batch(appends).invoke(ids -> {
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) != null) {
                    recent.add(partition, StreamId.parse(ids.get(i).toString()), events.get(i));
                }
            }
        }).replaceWithVoid();
    }

    /** The stream with its groups (created when missing), and its incarnation token (set when missing), taken note of. */
    private Uni<Void> ensureStream(int partition) {
        return ensureGroups(partition)
                .flatMap(created -> pipeline.batch(List.of(LogEpochs.claim(partition), LogEpochs.read(partition))))
                .invoke(epoch -> epochs.remember(partition, epoch.get(1)))
                .replaceWithVoid();
    }

    /** XGROUP CREATE ... 0 MKSTREAM for every configured group; an existing group stays as it is. */
    private Uni<Void> ensureGroups(int partition) {
        String stream = LogPartitions.streamKey(partition);
        List<Uni<Void>> creates = new ArrayList<>();
        for (String group : groups) {
            creates.add(pipeline.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(group).arg("0").arg("MKSTREAM"))
                    .replaceWithVoid()
                    .onFailure(e -> e.getMessage() != null && e.getMessage().contains("BUSYGROUP")).recoverWithNull());
        }
        return creates.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(creates).andFailFast().replaceWithVoid();
    }
}

package io.chatplatform.chat.log;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.redis.StreamId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Appends events to the durable log {@code chat:log:{p}} that history-service consumes. Appends use
 * {@code NOMKSTREAM} and read the stream's incarnation ({@link LogEpochs}) in the same round trip: a stream that is gone,
 * or one recreated since this instance's last append, means Redis lost data, and {@link LogRecovery} first (re)creates
 * it with its consumer groups and appends again what this instance appended lately ({@link RecentAppends}); only then
 * does the caller's ack follow. Nothing is trimmed here: {@link LogTrimmer} trims below what every
 * consumer group has stored.
 */
@Singleton
public class MessageLog {

    private final RedisPipeline pipeline;
    private final LogRecovery recovery;
    private final RecentAppends recent;
    private final LogEpochs epochs;
    private final int partitions;
    private final Counter published;

    public MessageLog(RedisPipeline pipeline, LogRecovery recovery, RecentAppends recent, LogEpochs epochs, ChatConfig config,
            MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.recovery = recovery;
        this.recent = recent;
        this.epochs = epochs;
        this.partitions = config.log().partitions();
        this.published = metrics.counter("chat.log.published");
    }

    public Uni<Void> append(StreamEvent event) {
        Appending appending = appending(event);
        return pipeline.batch(List.of(appending.request(), LogEpochs.read(appending.partition())))
                .flatMap(replies -> appended(appending, replies.get(0), replies.get(1)));
    }

    /**
     * Appends, with {@code alongside} in the same pipeline (one round trip); fails if any of them fails. When the stream
     * turns out to be gone, {@code alongside} has been applied already and the append is completed by recovery.
     */
    public Uni<Void> append(StreamEvent event, Request alongside) {
        Appending appending = appending(event);
        return pipeline.batch(List.of(appending.request(), LogEpochs.read(appending.partition()), alongside))
                .flatMap(replies -> appended(appending, replies.get(0), replies.get(1)));
    }

    /** As {@link #append(StreamEvent, Request)} with several requests alongside. */
    public Uni<Void> append(StreamEvent event, List<Request> alongside) {
        Appending appending = appending(event);
        List<Request> batch = new java.util.ArrayList<>(alongside.size() + 2);
        batch.add(appending.request());
        batch.add(LogEpochs.read(appending.partition()));
        batch.addAll(alongside);
        return pipeline.batch(batch).flatMap(replies -> appended(appending, replies.get(0), replies.get(1)));
    }

    private Appending appending(StreamEvent event) {
        int partition = LogPartitions.partitionOf(event.conv(), partitions);
        String json = StreamEventCodec.encode(event);
        return new Appending(partition, json, xadd(partition, json));
    }

    private Uni<Void> appended(Appending appending, Response id, Response epoch) {
        if (id == null) { // the stream is gone: recreate it, append again what it lost, then this event
            return recovery.recover(appending.partition())
                    .flatMap(done -> pipeline.send(xadd(appending.partition(), appending.json())))
                    .flatMap(again -> again == null
                            ? Uni.createFrom().failure(new IllegalStateException("log stream vanished again"))
                            : remembered(appending, again));
        }
        if (!epochs.current(appending.partition(), epoch)) { // appended to a stream recreated since this instance's last append
            return recovery.recover(appending.partition()).flatMap(done -> remembered(appending, id));
        }
        return remembered(appending, id);
    }

    private Uni<Void> remembered(Appending appending, Response id) {
        recent.add(appending.partition(), StreamId.parse(id.toString()), appending.json());
        published.increment();
        return Uni.createFrom().voidItem();
    }

    static Request xadd(int partition, String json) {
        return Request.cmd(Command.XADD).arg(LogPartitions.streamKey(partition)).arg("NOMKSTREAM").arg("*")
                .arg(LogPartitions.EVENT_FIELD).arg(json);
    }

    private record Appending(int partition, String json, Request request) {
    }
}

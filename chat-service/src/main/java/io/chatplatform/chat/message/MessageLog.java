package io.chatplatform.chat.message;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.List;

/** Appends events to the durable log {@code chat:log:{p}} that history-service consumes. */
@Singleton
public class MessageLog {

    private final ReactiveRedisDataSource redis;
    private final int partitions;
    private final long maxLength;
    private final Counter published;

    public MessageLog(ReactiveRedisDataSource redis, ChatConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.partitions = config.log().partitions();
        this.maxLength = config.log().maxLength();
        this.published = metrics.counter("chat.log.published");
    }

    public Uni<Void> append(StreamEvent event) {
        return redis.getRedis().send(xadd(event)).invoke(() -> published.increment()).replaceWithVoid();
    }

    /** Appends, with {@code alongside} in the same pipeline (one round trip); fails if any of them fails. */
    public Uni<Void> append(StreamEvent event, Request alongside) {
        return redis.getRedis().batch(List.of(xadd(event), alongside)).invoke(() -> published.increment()).replaceWithVoid();
    }

    private Request xadd(StreamEvent event) {
        return Request.cmd(Command.XADD)
                .arg(LogPartitions.streamKeyOf(event.conv(), partitions))
                .arg("MAXLEN").arg("~").arg(maxLength).arg("*")
                .arg(LogPartitions.EVENT_FIELD).arg(StreamEventCodec.encode(event));
    }
}

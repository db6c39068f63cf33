package io.chatplatform.chat.log;

import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.redis.StreamId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How far the consumer groups of a log stream have got: the lowest id that some group has not stored yet, i.e. its
 * oldest pending entry (delivered, not acknowledged) or, with nothing pending, the entry after its last-delivered id.
 * Everything below the minimum over all groups is stored by every consumer and may be trimmed.
 */
@Singleton
public class ConsumerProgress {

    private final RedisPipeline pipeline;

    public ConsumerProgress(RedisPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The lowest id not yet stored by every group; empty when the stream has no group (or no stream). */
    public Uni<Optional<StreamId>> storedBelow(String stream) {
        return pipeline.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(stream))
                .onFailure(e -> e.getMessage() != null && e.getMessage().contains("no such key")).recoverWithNull()
                .flatMap(groups -> {
                    if (groups == null || groups.size() == 0) {
                        return Uni.createFrom().item(Optional.<StreamId>empty());
                    }
                    List<Uni<StreamId>> floors = new ArrayList<>();
                    for (Response group : groups) {
                        floors.add(floorOf(stream, group));
                    }
                    return Uni.join().all(floors).andFailFast()
                            .map(all -> all.stream().min(StreamId::compareTo));
                });
    }

    private Uni<StreamId> floorOf(String stream, Response group) {
        StreamId lastDelivered = StreamId.parse(group.get("last-delivered-id").toString());
        if (group.get("pending").toLong() == 0) {
            return Uni.createFrom().item(lastDelivered.next());
        }
        return pipeline.send(Request.cmd(Command.XPENDING).arg(stream).arg(group.get("name").toString()))
                .map(summary -> summary.get(1) == null ? lastDelivered.next() : StreamId.parse(summary.get(1).toString()));
    }
}

package io.chatplatform.chat.conversation;

import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.session.UserKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a user blocked another, from the mirror auth-service keeps in Redis ({@link UserKeys#blocks}; MySQL is the
 * truth). A set without its {@link UserKeys#BLOCKS_MIRRORED} member is not mirrored (Redis lost it, or nobody asked
 * yet): auth is asked to write it ({@link MirrorMiss}). Misses of one user on this instance share one request.
 */
@Singleton
public class BlockMirrors {

    private final RedisPipeline pipeline;
    private final Map<Long, Uni<Boolean>> asking = new ConcurrentHashMap<>();

    public BlockMirrors(RedisPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** True when {@code owner} blocked {@code sender}. */
    public Uni<Boolean> blocked(long owner, long sender) {
        return look(owner, sender).flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : asking.computeIfAbsent(owner, o -> MirrorMiss.ask(pipeline, UserKeys.blocksRebuildRequest(o),
                                () -> look(o, sender), "the blocks of user " + o + " are being restored; resend shortly")
                        .onTermination().invoke(() -> asking.remove(o))
                        .memoize().indefinitely()));
    }

    /** One key, one slot, one round trip: the mirrored marker and the sender. Empty while not mirrored. */
    private Uni<Optional<Boolean>> look(long owner, long sender) {
        String key = UserKeys.blocks(owner);
        return pipeline.batch(List.of(Request.cmd(Command.SISMEMBER).arg(key).arg(UserKeys.BLOCKS_MIRRORED),
                Request.cmd(Command.SISMEMBER).arg(key).arg(sender))).map(replies -> replies.get(0).toInteger() == 1
                        ? Optional.of(replies.get(1).toInteger() == 1) : Optional.empty());
    }
}

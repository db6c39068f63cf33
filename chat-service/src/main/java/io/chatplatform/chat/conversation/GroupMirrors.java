package io.chatplatform.chat.conversation;

import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.session.GroupKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group members from the mirror auth-service keeps in Redis ({@code group:{gid}:members}; MySQL is the truth). A group
 * always has a member (its owner), so an empty set means the mirror is missing: Redis lost it, or the group does not
 * exist. Then auth is asked to rebuild it ({@link GroupKeys#REBUILD_CHANNEL}) and the mirror is polled until it is back,
 * or auth marked the group absent, or {@link #REBUILD_WAIT} passed (UNAVAILABLE: the client resends). Misses of one
 * group on this instance share one request.
 */
@Singleton
public class GroupMirrors {

    static final Duration REBUILD_WAIT = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(100);

    private final RedisPipeline pipeline;
    private final Map<Long, Uni<List<Long>>> rebuilding = new ConcurrentHashMap<>();

    public GroupMirrors(RedisPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The members of group {@code gid}; empty when the group does not exist. */
    public Uni<List<Long>> members(long gid) {
        return look(gid).flatMap(found -> {
            if (found.members() != null) {
                return Uni.createFrom().item(found.members());
            }
            if (found.absent()) {
                return Uni.createFrom().item(List.of());
            }
            return rebuilding.computeIfAbsent(gid, g -> requestRebuild(g)
                    .onTermination().invoke(() -> rebuilding.remove(g))
                    .memoize().indefinitely());
        });
    }

    private Uni<List<Long>> requestRebuild(long gid) {
        long deadline = System.nanoTime() + REBUILD_WAIT.toNanos();
        return pipeline.send(Request.cmd(Command.PUBLISH).arg(GroupKeys.REBUILD_CHANNEL).arg(gid))
                .flatMap(published -> poll(gid, deadline));
    }

    private Uni<List<Long>> poll(long gid, long deadline) {
        return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).flatMap(waited -> look(gid)).flatMap(found -> {
            if (found.members() != null) {
                return Uni.createFrom().item(found.members());
            }
            if (found.absent()) {
                return Uni.createFrom().item(List.<Long>of());
            }
            if (System.nanoTime() > deadline) {
                return Uni.createFrom().failure(new FrameException(ErrorCode.UNAVAILABLE,
                        "the members of g." + gid + " are being restored; resend shortly"));
            }
            return poll(gid, deadline);
        });
    }

    /** The members set and the absent marker: one slot ({gid}), one round trip. */
    private Uni<Mirror> look(long gid) {
        return pipeline.batch(List.of(Request.cmd(Command.SMEMBERS).arg(GroupKeys.members(gid)),
                Request.cmd(Command.EXISTS).arg(GroupKeys.absent(gid)))).map(replies -> {
                    Response set = replies.get(0);
                    List<Long> members = new ArrayList<>(set == null ? 0 : set.size());
                    if (set != null) {
                        for (Response member : set) {
                            members.add(member.toLong());
                        }
                    }
                    return new Mirror(members.isEmpty() ? null : List.copyOf(members), replies.get(1).toInteger() == 1);
                });
    }

    /** @param members null when the set is missing */
    private record Mirror(List<Long> members, boolean absent) {
    }
}

package io.chatplatform.chat.conversation;

import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.session.GroupKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group members from the mirror auth-service keeps in Redis ({@code group:{gid}:members}; MySQL is the truth). A group
 * always has a member (its owner), so an empty set means the mirror is missing: Redis lost it, or the group does not
 * exist. Then auth is asked to rebuild it and the mirror is polled until it is back, or auth marked the group absent
 * ({@link MirrorMiss}). Misses of one group on this instance share one request.
 */
@Singleton
public class GroupMirrors {

    private final RedisPipeline pipeline;
    private final Map<Long, Uni<List<Long>>> rebuilding = new ConcurrentHashMap<>();

    public GroupMirrors(RedisPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The members of group {@code gid}; empty when the group does not exist. */
    public Uni<List<Long>> members(long gid) {
        return look(gid).flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : rebuilding.computeIfAbsent(gid, g -> MirrorMiss.ask(pipeline, Long.toString(g), () -> look(g),
                                "the members of g." + g + " are being restored; resend shortly")
                        .onTermination().invoke(() -> rebuilding.remove(g))
                        .memoize().indefinitely()));
    }

    /** What the group's send rules say about a send by {@code uid} (a member). */
    public enum SendRule { ALLOWED, ADMINS_ONLY, DISSOLVED }

    /**
     * The group's settings and whether {@code uid} is its owner or an admin: one slot ({gid}), one round trip. Read after
     * {@link #members} found the group, so the settings (written by the same script) are there too; absent fields mean
     * the defaults.
     */
    public Uni<SendRule> sendRule(long gid, long uid) {
        return pipeline.batch(List.of(
                Request.cmd(Command.HMGET).arg(GroupKeys.settings(gid)).arg(GroupKeys.DISSOLVED).arg(GroupKeys.ONLY_ADMINS_SEND),
                Request.cmd(Command.SISMEMBER).arg(GroupKeys.admins(gid)).arg(uid))).map(replies -> {
                    Response settings = replies.get(0);
                    if (isSet(settings.get(0))) {
                        return SendRule.DISSOLVED;
                    }
                    if (isSet(settings.get(1)) && replies.get(1).toInteger() != 1) {
                        return SendRule.ADMINS_ONLY;
                    }
                    return SendRule.ALLOWED;
                });
    }

    private static boolean isSet(Response field) {
        return field != null && "1".equals(field.toString());
    }

    /** The members set and the absent marker: one slot ({gid}), one round trip. Empty while neither is there. */
    private Uni<Optional<List<Long>>> look(long gid) {
        return pipeline.batch(List.of(Request.cmd(Command.SMEMBERS).arg(GroupKeys.members(gid)),
                Request.cmd(Command.EXISTS).arg(GroupKeys.absent(gid)))).map(replies -> {
                    Response set = replies.get(0);
                    List<Long> members = new ArrayList<>(set == null ? 0 : set.size());
                    if (set != null) {
                        for (Response member : set) {
                            members.add(member.toLong());
                        }
                    }
                    if (!members.isEmpty()) {
                        return Optional.of(List.copyOf(members));
                    }
                    return replies.get(1).toInteger() == 1 ? Optional.of(List.<Long>of()) : Optional.empty();
                });
    }
}

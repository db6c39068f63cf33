package io.chatplatform.auth.block;

import io.chatplatform.auth.redis.ChunkedPipeline;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.session.UserKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Mirrors each user's blocks into {@link UserKeys#blocks} (with the {@link UserKeys#BLOCKS_MIRRORED} member), where chat
 * checks direct sends. One script per user replaces the whole set, so the set is always one MySQL state.
 */
@ApplicationScoped
public class BlockMirror {

    /** KEYS[1] the blocks set; ARGV[1] the mirrored member, then the blocked uids. */
    static final String REPLACE_TEXT = """
            redis.call('DEL', KEYS[1])
            for i = 1, #ARGV, 1000 do
                redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
            return 1
            """;
    private static final LuaScript REPLACE = new LuaScript(REPLACE_TEXT);

    private final RedisDataSource redis;
    private final ChunkedPipeline pipeline;

    public BlockMirror(RedisDataSource redis, ChunkedPipeline pipeline) {
        this.redis = redis;
        this.pipeline = pipeline;
    }

    /** Writes one user's set; may run inside the MySQL transaction that changed it (suspended while Redis is awaited). */
    public void write(long uid, Collection<Long> blocked) {
        try {
            ChunkedPipeline.outsideTransaction(() -> REPLACE.runAndAwait(redis.getReactive().getRedis(),
                    List.of(UserKeys.blocks(uid)), args(blocked)));
        } catch (RuntimeException e) {
            throw new RedisUnavailable("nothing was changed: chat could not be updated; repeat the request");
        }
    }

    /** Writes many users' sets (a rebuild page). Failures propagate. */
    public void writeAll(Map<Long, ? extends Collection<Long>> blockedByUser) {
        List<Request> requests = new ArrayList<>(blockedByUser.size());
        blockedByUser.forEach((uid, blocked) -> {
            Request eval = Request.cmd(Command.EVAL).arg(REPLACE_TEXT).arg(1).arg(UserKeys.blocks(uid));
            for (Object arg : args(blocked)) {
                eval.arg(arg.toString());
            }
            requests.add(eval);
        });
        pipeline.send(requests);
    }

    private static Object[] args(Collection<Long> blocked) {
        List<String> args = new ArrayList<>(blocked.size() + 1);
        args.add(UserKeys.BLOCKS_MIRRORED);
        blocked.forEach(b -> args.add(String.valueOf(b)));
        return args.toArray();
    }
}

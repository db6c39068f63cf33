package io.chatplatform.chat.message;

import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.redis.RedisPipeline;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * Per-conversation sequence numbers ({@code chat:seq:{conv}}, INCR: gap-free, strictly increasing) and read
 * markers ({@code chat:read:{conv}} uid → seq, only ever moving forward). Both keys share the conversation as
 * hash tag, so one script updates them together (and a send's dedup key, which carries the same tag).
 */
@Singleton
public class ConversationCounters {

    /**
     * Next seq, and the sender's read marker moves to it: own messages never count as unread. With a third key
     * (a send's dedup key) the seq is only taken if that key can be claimed (SET NX); otherwise the answer is
     * {0, what the key holds} and nothing changes.
     */
    private static final LuaScript NEXT_SEQ = new LuaScript("""
            if KEYS[3] then
              if not redis.call('SET', KEYS[3], ARGV[2], 'NX', 'EX', ARGV[3]) then
                return {0, redis.call('GET', KEYS[3]) or ARGV[2]}
              end
            end
            local seq = redis.call('INCR', KEYS[1])
            local read = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
            if seq > read then redis.call('HSET', KEYS[2], ARGV[1], seq) end
            return {1, seq}
            """);

    /**
     * Moves uid's read marker forward to ARGV[2]. Returns {moved (1/0), marker after}, or {-1, lastSeq}
     * when ARGV[2] is beyond the last message.
     */
    private static final LuaScript MARK_READ = new LuaScript("""
            local last = tonumber(redis.call('GET', KEYS[1]) or '0')
            local seq = tonumber(ARGV[2])
            if seq > last then return {-1, last} end
            local read = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
            if seq > read then
              redis.call('HSET', KEYS[2], ARGV[1], seq)
              return {1, seq}
            end
            return {0, read}
            """);

    private final ReactiveRedisDataSource redis;
    private final RedisPipeline pipeline;

    public ConversationCounters(ReactiveRedisDataSource redis, RedisPipeline pipeline) {
        this.redis = redis;
        this.pipeline = pipeline;
    }

    public static String seqKey(String conv) {
        return "chat:seq:{" + conv + "}";
    }

    public static String readKey(String conv) {
        return "chat:read:{" + conv + "}";
    }

    public Uni<Long> nextSeq(String conv, long sender) {
        return NEXT_SEQ.run(redis.getRedis(), List.of(seqKey(conv), readKey(conv)), sender).map(r -> r.get(1).toLong());
    }

    /**
     * Claims {@code claimKey} (it must carry the conversation's hash tag) with {@code pending} for {@code claimTtl}
     * and, only if that worked, takes the next seq. {@code alongside} travel in the same pipeline; their replies
     * come back in the result.
     */
    public Uni<Claim> claimThenNextSeq(String conv, long sender, String claimKey, String pending, Duration claimTtl,
            List<Request> alongside) {
        return NEXT_SEQ.runInBatch(pipeline, List.of(seqKey(conv), readKey(conv), claimKey),
                        List.of(sender, pending, claimTtl.toSeconds()), alongside)
                .map(replies -> {
                    Response script = replies.get(0);
                    List<Response> others = replies.subList(1, replies.size());
                    return script.get(0).toInteger() == 1
                            ? new Claim(script.get(1).toLong(), null, others)
                            : new Claim(0, script.get(1).toString(), others);
                });
    }

    public Uni<ReadMark> markRead(String conv, long uid, long seq) {
        return MARK_READ.run(redis.getRedis(), List.of(seqKey(conv), readKey(conv)), uid, seq)
                .map(r -> new ReadMark(r.get(0).toInteger(), r.get(1).toLong()));
    }

    /**
     * @param seq       the new message's seq, or 0 if the key was already claimed
     * @param previous  when not claimed: what the claim key holds (the pending marker or the first send's ack)
     * @param alongside the replies of the requests sent in the same pipeline
     */
    public record Claim(long seq, String previous, List<Response> alongside) {
        public boolean claimed() {
            return seq > 0;
        }
    }

    /** @param outcome 1 moved, 0 already at or past it, -1 beyond the last message */
    public record ReadMark(int outcome, long seq) {
    }
}

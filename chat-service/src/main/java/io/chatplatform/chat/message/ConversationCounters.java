package io.chatplatform.chat.message;

import io.chatplatform.chat.sequence.BlockFence;
import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.redis.RedisPipeline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * Per-conversation sequence numbers ({@code chat:seq:{conv}}: strictly increasing, gap-free while Redis keeps its
 * data) and read markers ({@code chat:read:{conv}} uid → seq, only ever moving forward). The seq is block-fenced
 * ({@link BlockFence}): values come out of blocks reserved durably, up to {@code chat:seqceil:{conv}}, so after Redis
 * loses the counter the next seq lies above every seq handed out before (a jump of less than a block, never a reuse).
 * All keys share the conversation as hash tag, so one script updates them together (and a send's dedup key, which
 * carries the same tag).
 */
@Singleton
public class ConversationCounters {

    /**
     * KEYS: seq, read marker, ceiling, [claim]. ARGV: sender, claim value, claim ttl (s).
     * {2, counter or -1, ceiling}: no value left below the ceiling (or the counter is gone): refill, then again.
     * {0, what the claim key holds}: already claimed, nothing changes.
     * {1, seq, values left in the block}: the seq is taken (and the claim, holding the claim value + "|" + seq);
     * the sender's read marker moves to it (unless the sender is empty: updates): own messages never count as unread.
     */
    private static final LuaScript NEXT_SEQ = new LuaScript("""
            local current = redis.call('GET', KEYS[1])
            local ceiling = tonumber(redis.call('GET', KEYS[3]) or '0')
            if not current or tonumber(current) >= ceiling then
              return {2, current and tonumber(current) or -1, ceiling}
            end
            if KEYS[4] then
              if not redis.call('SET', KEYS[4], ARGV[2] .. '|' .. (tonumber(current) + 1), 'NX', 'EX', ARGV[3]) then
                return {0, redis.call('GET', KEYS[4]) or ARGV[2]}
              end
            end
            local seq = redis.call('INCR', KEYS[1])
            if ARGV[1] ~= '' then
              local read = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
              if seq > read then redis.call('HSET', KEYS[2], ARGV[1], seq) end
            end
            return {1, seq, ceiling - seq}
            """);

    /**
     * Moves uid's read marker forward to ARGV[2]. Returns {moved (1/0), marker after}, or {-1, lastSeq} when ARGV[2] is
     * beyond the last message. When the counter is gone (Redis lost it) the bound cannot be checked and the marker moves:
     * history keeps the highest marker it has seen, so nothing goes backwards there.
     */
    private static final LuaScript MARK_READ = new LuaScript("""
            local last = redis.call('GET', KEYS[1])
            local seq = tonumber(ARGV[2])
            if last and seq > tonumber(last) then return {-1, tonumber(last)} end
            local read = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
            if seq > read then
              redis.call('HSET', KEYS[2], ARGV[1], seq)
              return {1, seq}
            end
            return {0, read}
            """);

    private final RedisPipeline pipeline;
    private final BlockFence fence;

    public ConversationCounters(RedisPipeline pipeline, BlockFence fence) {
        this.pipeline = pipeline;
        this.fence = fence;
    }

    public static String seqKey(String conv) {
        return "chat:seq:{" + conv + "}";
    }

    public static String ceilingKey(String conv) {
        return "chat:seqceil:{" + conv + "}";
    }

    public static String readKey(String conv) {
        return "chat:read:{" + conv + "}";
    }

    /** The next seq of {@code conv} for a message of {@code sender} (system messages, desk events). */
    public Uni<Long> nextSeq(String conv, long sender) {
        return take(conv, List.of(seqKey(conv), readKey(conv), ceilingKey(conv)), List.of(sender), List.of())
                .map(replies -> replies.get(0).get(1).toLong());
    }

    /** The next seq of {@code conv} for an update (edit, recall, react): nobody's read marker moves. */
    public Uni<Long> nextUpdateSeq(String conv) {
        return take(conv, List.of(seqKey(conv), readKey(conv), ceilingKey(conv)), List.of(""), List.of())
                .map(replies -> replies.get(0).get(1).toLong());
    }

    /**
     * Claims {@code claimKey} (it must carry the conversation's hash tag) with {@code claimValue + "|" + seq} for
     * {@code claimTtl} and, only if that worked, takes the next seq. {@code alongside} travel in the same pipeline; their
     * replies come back in the result.
     */
    public Uni<Claim> claimThenNextSeq(String conv, long sender, String claimKey, String claimValue, Duration claimTtl,
            List<Request> alongside) {
        return take(conv, List.of(seqKey(conv), readKey(conv), ceilingKey(conv), claimKey),
                List.of(sender, claimValue, claimTtl.toSeconds()), alongside)
                .map(replies -> {
                    Response script = replies.get(0);
                    List<Response> others = replies.subList(1, replies.size());
                    return script.get(0).toInteger() == 1
                            ? new Claim(script.get(1).toLong(), null, others)
                            : new Claim(0, script.get(1).toString(), others);
                });
    }

    /** Runs NEXT_SEQ under the block fence (refill and run again on "refill", reserve ahead when running low). */
    private Uni<List<Response>> take(String conv, List<String> keys, List<?> args, List<Request> alongside) {
        return fence.take(fenceName(conv), seqKey(conv), ceilingKey(conv), () -> NEXT_SEQ.runInBatch(pipeline, keys, args, alongside));
    }

    private static String fenceName(String conv) {
        return "conv:" + conv;
    }

    public Uni<ReadMark> markRead(String conv, long uid, long seq) {
        return MARK_READ.run(pipeline.redis(), List.of(seqKey(conv), readKey(conv)), uid, seq)
                .map(r -> new ReadMark(r.get(0).toInteger(), r.get(1).toLong()));
    }

    /**
     * @param seq       the new message's seq, or 0 if the key was already claimed
     * @param previous  when not claimed: what the claim key holds (a pending claim or the first send's ack)
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

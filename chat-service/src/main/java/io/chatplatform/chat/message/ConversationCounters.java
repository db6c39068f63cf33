package io.chatplatform.chat.message;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per-conversation sequence numbers ({@code chat:seq:{conv}}, INCR: gap-free, strictly increasing) and read
 * markers ({@code chat:read:{conv}} uid → seq, only ever moving forward). Both keys share the conversation as
 * hash tag, so one script updates them together.
 */
@ApplicationScoped
public class ConversationCounters {

    /** Next seq, and the sender's read marker moves to it: own messages never count as unread. */
    private static final String NEXT_SEQ = """
            local seq = redis.call('INCR', KEYS[1])
            local read = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
            if seq > read then redis.call('HSET', KEYS[2], ARGV[1], seq) end
            return seq
            """;

    /**
     * Moves uid's read marker forward to ARGV[2]. Returns {moved (1/0), marker after}, or {-1, lastSeq}
     * when ARGV[2] is beyond the last message.
     */
    private static final String MARK_READ = """
            local last = tonumber(redis.call('GET', KEYS[1]) or '0')
            local seq = tonumber(ARGV[2])
            if seq > last then return {-1, last} end
            local read = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
            if seq > read then
              redis.call('HSET', KEYS[2], ARGV[1], seq)
              return {1, seq}
            end
            return {0, read}
            """;

    private final ReactiveRedisDataSource redis;

    public ConversationCounters(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static String seqKey(String conv) {
        return "chat:seq:{" + conv + "}";
    }

    public static String readKey(String conv) {
        return "chat:read:{" + conv + "}";
    }

    public Uni<Long> nextSeq(String conv, long sender) {
        return redis.getRedis().send(Request.cmd(Command.EVAL).arg(NEXT_SEQ).arg(2).arg(seqKey(conv)).arg(readKey(conv))
                .arg(sender)).map(response -> response.toLong());
    }

    public Uni<ReadMark> markRead(String conv, long uid, long seq) {
        return redis.getRedis().send(Request.cmd(Command.EVAL).arg(MARK_READ).arg(2).arg(seqKey(conv)).arg(readKey(conv))
                .arg(uid).arg(seq)).map(r -> new ReadMark(r.get(0).toInteger(), r.get(1).toLong()));
    }

    /** @param outcome 1 moved, 0 already at or past it, -1 beyond the last message */
    public record ReadMark(int outcome, long seq) {
    }
}

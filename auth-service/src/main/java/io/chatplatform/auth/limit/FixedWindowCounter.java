package io.chatplatform.auth.limit;

import io.chatplatform.common.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Counters in fixed windows: the first count of a key starts its window ({@code EXPIRE}), the key disappears when the
 * window ends. One single-key script per count, so it is Redis Cluster safe whatever the key. Blocking; Redis
 * failures propagate (callers turn them into 503).
 */
@ApplicationScoped
public class FixedWindowCounter {

    /** KEYS[1] counter; ARGV[1] window seconds. Returns {count, seconds left}; heals a key that lost its expiry. */
    private static final LuaScript INCREMENT = new LuaScript("""
            local n = redis.call('INCR', KEYS[1])
            local ttl = redis.call('TTL', KEYS[1])
            if n == 1 or ttl < 0 then
                redis.call('EXPIRE', KEYS[1], ARGV[1])
                ttl = tonumber(ARGV[1])
            end
            return {n, ttl}
            """);

    private final RedisDataSource redis;

    public FixedWindowCounter(RedisDataSource redis) {
        this.redis = redis;
    }

    /** Counts one more in {@code key}'s window. */
    public Window increment(String key, Duration window) {
        Response reply = INCREMENT.runAndAwait(redis.getReactive().getRedis(), List.of(key), seconds(window));
        return new Window(reply.get(0).toLong(), reply.get(1).toLong());
    }

    static long seconds(Duration window) {
        return Math.max(1, window.toSeconds());
    }

    /** @param count the counts in the window so far; @param secondsLeft until it ends */
    public record Window(long count, long secondsLeft) {
    }
}

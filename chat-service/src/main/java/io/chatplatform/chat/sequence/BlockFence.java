package io.chatplatform.chat.sequence;

import io.chatplatform.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The Redis half of a block-fenced counter: the counter key holds the last value handed out and a ceiling key (same
 * hash slot) the end of the blocks reserved in {@link SeqBlocks}. Scripts that take a value refuse to pass the ceiling
 * and answer "refill" instead (also when the counter is gone: Redis lost it); {@link #refill} reserves a block and
 * raises the ceiling, and puts a missing counter at the start of the new block ({@link #take} runs that protocol for
 * any such script). Refills of one counter on this instance share one reservation.
 */
@Singleton
public class BlockFence {

    private static final Logger LOG = Logger.getLogger(BlockFence.class);

    /**
     * KEYS: counter, ceiling. ARGV: block end, block size. The ceiling only rises; an existing counter is left alone
     * (its values up to the new ceiling are all reserved); a missing one restarts at the new block.
     */
    private static final LuaScript INSTALL = new LuaScript("""
            local top = tonumber(ARGV[1])
            if top > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], top) end
            if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], top - tonumber(ARGV[2])) end
            return 1
            """);

    /**
     * KEYS: counter, ceiling. {1, value, values left in the block}, or {2, counter or -1, ceiling} when no value is left
     * below the ceiling (or the counter is gone): refill, then again.
     */
    private static final LuaScript NEXT = new LuaScript("""
            local current = redis.call('GET', KEYS[1])
            local ceiling = tonumber(redis.call('GET', KEYS[2]) or '0')
            if not current or tonumber(current) >= ceiling then
              return {2, current and tonumber(current) or -1, ceiling}
            end
            local value = redis.call('INCR', KEYS[1])
            return {1, value, ceiling - value}
            """);
    private static final int ATTEMPTS = 3;

    private final SeqBlocks blocks;
    private final ReactiveRedisDataSource redis;
    private final Map<String, Uni<Void>> inFlight = new ConcurrentHashMap<>();

    public BlockFence(SeqBlocks blocks, ReactiveRedisDataSource redis) {
        this.blocks = blocks;
        this.redis = redis;
    }

    /** The next value of a plain fenced counter (desk ticket ids): refills as needed, reserves ahead when running low. */
    public Uni<Long> next(String name, String counterKey, String ceilingKey) {
        return take(name, counterKey, ceilingKey, () -> NEXT.run(redis.getRedis(), List.of(counterKey, ceilingKey)).map(List::of))
                .map(replies -> replies.get(0).get(1).toLong());
    }

    /**
     * Runs {@code attempt}, a pipeline whose first reply is a fenced script's: {@code {1, value, values left}} (taken),
     * {@code {2, counter or -1, ceiling}} (refill, then run it again), anything else passed on as it is. Reserves the
     * next block ahead of need when the current one runs low.
     */
    public Uni<List<Response>> take(String name, String counterKey, String ceilingKey, Supplier<Uni<List<Response>>> attempt) {
        return take(name, counterKey, ceilingKey, attempt, ATTEMPTS);
    }

    private Uni<List<Response>> take(String name, String counterKey, String ceilingKey, Supplier<Uni<List<Response>>> attempt,
            int attempts) {
        return attempt.get().flatMap(replies -> {
            Response script = replies.get(0);
            int outcome = script.get(0).toInteger();
            if (outcome == 2) {
                if (attempts <= 1) {
                    return Uni.createFrom().failure(new IllegalStateException("no block could be installed for " + name));
                }
                return refill(name, counterKey, ceilingKey, unrecorded(script.get(1).toLong(), script.get(2).toLong()))
                        .flatMap(done -> take(name, counterKey, ceilingKey, attempt, attempts - 1));
            }
            if (outcome == 1 && runningLow(script.get(2).toLong())) {
                refillAhead(name, counterKey, ceilingKey);
            }
            return Uni.createFrom().item(replies);
        });
    }

    /**
     * Reserves a block for {@code name} and installs it on the two keys.
     *
     * @param unrecordedCounter the counter's value when it exists without a ceiling (data from before blocks), else 0
     */
    private Uni<Void> refill(String name, String counterKey, String ceilingKey, long unrecordedCounter) {
        return inFlight.computeIfAbsent(name, n -> blocks.reserve(n, unrecordedCounter)
                .flatMap(end -> INSTALL.run(redis.getRedis(), List.of(counterKey, ceilingKey), end, blocks.size()))
                .replaceWithVoid()
                .onTermination().invoke(() -> inFlight.remove(n))
                .memoize().indefinitely());
    }

    /** A refill started ahead of need (the block is running low); failures are only logged, the next take retries. */
    private void refillAhead(String name, String counterKey, String ceilingKey) {
        refill(name, counterKey, ceilingKey, 0).subscribe().with(ok -> { },
                failure -> LOG.warnf("could not reserve the next block of %s ahead of need: %s", name, failure.toString()));
    }

    /** True when {@code remaining} values are left in the block: time to reserve the next one ahead of need. */
    private boolean runningLow(long remaining) {
        return remaining < Math.max(1, blocks.size() / 4);
    }

    /** The counter state a script reported with "refill": the counter exists (>= 0) but no ceiling was ever set. */
    private static long unrecorded(long counter, long ceiling) {
        return counter >= 0 && ceiling == 0 ? counter : 0;
    }
}

package io.chatplatform.chat.desk;

import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.sequence.BlockFence;
import io.chatplatform.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Ticket state in Redis, changed only by Lua scripts so every transition is atomic: with ten agents grabbing
 * one ticket at once, exactly one script sees it WAITING. States: WAITING → SERVING → (TRANSFERRING →
 * SERVING)* → CLOSED. Each script answers {@code OK} or the error code to send.
 */
@Singleton
public class DeskTickets {

    /** KEYS: ticket, queue. ARGV: customer, topic, now, ticket id. */
    private static final LuaScript OPEN = new LuaScript("""
            redis.call('HSET', KEYS[1], 'state', 'WAITING', 'customer', ARGV[1], 'topic', ARGV[2], 'createdAt', ARGV[3])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            return 'OK'
            """);

    /** KEYS: ticket, queue, agent's set. ARGV: agent, now, ticket id. */
    private static final LuaScript GRAB = new LuaScript("""
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state then return 'NOT_FOUND' end
            if state ~= 'WAITING' then return 'CONFLICT' end
            redis.call('HSET', KEYS[1], 'state', 'SERVING', 'agent', ARGV[1], 'claimedAt', ARGV[2])
            redis.call('ZREM', KEYS[2], ARGV[3])
            redis.call('SADD', KEYS[3], ARGV[3])
            return 'OK'
            """);

    /** KEYS: ticket. ARGV: caller, target. */
    private static final LuaScript TRANSFER = new LuaScript("""
            local t = redis.call('HMGET', KEYS[1], 'state', 'agent')
            if not t[1] then return 'NOT_FOUND' end
            if t[2] ~= ARGV[1] then return 'FORBIDDEN' end
            if t[1] ~= 'SERVING' then return 'CONFLICT' end
            redis.call('HSET', KEYS[1], 'state', 'TRANSFERRING', 'toAgent', ARGV[2])
            return 'OK'
            """);

    /** KEYS: ticket, previous agent's set, caller's set. ARGV: caller, ticket id. */
    private static final LuaScript ACCEPT = new LuaScript("""
            local t = redis.call('HMGET', KEYS[1], 'state', 'toAgent')
            if not t[1] then return 'NOT_FOUND' end
            if t[1] ~= 'TRANSFERRING' or t[2] ~= ARGV[1] then return 'CONFLICT' end
            redis.call('HSET', KEYS[1], 'state', 'SERVING', 'agent', ARGV[1])
            redis.call('HDEL', KEYS[1], 'toAgent')
            redis.call('SREM', KEYS[2], ARGV[2])
            redis.call('SADD', KEYS[3], ARGV[2])
            return 'OK'
            """);

    /** KEYS: ticket. ARGV: caller. */
    private static final LuaScript DECLINE = new LuaScript("""
            local t = redis.call('HMGET', KEYS[1], 'state', 'toAgent')
            if not t[1] then return 'NOT_FOUND' end
            if t[1] ~= 'TRANSFERRING' or t[2] ~= ARGV[1] then return 'CONFLICT' end
            redis.call('HSET', KEYS[1], 'state', 'SERVING')
            redis.call('HDEL', KEYS[1], 'toAgent')
            return 'OK'
            """);

    /** KEYS: ticket, queue, agent's set (if any). ARGV: caller, now, ticket id. Customer or serving agent. */
    private static final LuaScript CLOSE = new LuaScript("""
            local t = redis.call('HMGET', KEYS[1], 'state', 'customer', 'agent')
            if not t[1] then return 'NOT_FOUND' end
            if t[2] ~= ARGV[1] and t[3] ~= ARGV[1] then return 'FORBIDDEN' end
            if t[1] == 'CLOSED' then return 'CONFLICT' end
            redis.call('HSET', KEYS[1], 'state', 'CLOSED', 'closedAt', ARGV[2])
            redis.call('HDEL', KEYS[1], 'toAgent')
            redis.call('ZREM', KEYS[2], ARGV[3])
            redis.call('SREM', KEYS[3], ARGV[3])
            return 'OK'
            """);

    private final ReactiveRedisDataSource redis;
    private final BlockFence fence;
    private final ReactiveHashCommands<String, String, String> hashes;

    public DeskTickets(ReactiveRedisDataSource redis, BlockFence fence) {
        this.redis = redis;
        this.fence = fence;
        this.hashes = redis.hash(String.class);
    }

    public Uni<Ticket> get(long id) {
        return hashes.hgetall(DeskKeys.ticket(id)).map(fields -> Ticket.from(id, fields));
    }

    public Uni<Ticket> open(long customer, String topic, long now) {
        return fence.next("desk", DeskKeys.SEQUENCE, DeskKeys.SEQUENCE_CEILING)
                .flatMap(id -> transition(id, OPEN, List.of(DeskKeys.ticket(id), DeskKeys.QUEUE), customer, topic, now, id));
    }

    public Uni<Ticket> grab(long id, long agent, long now) {
        return transition(id, GRAB, List.of(DeskKeys.ticket(id), DeskKeys.QUEUE, DeskKeys.agentTickets(agent)), agent, now, id);
    }

    public Uni<Ticket> transfer(long id, long agent, long toAgent) {
        return transition(id, TRANSFER, List.of(DeskKeys.ticket(id)), agent, toAgent);
    }

    /** @param previous the agent serving before the transfer */
    public Uni<Ticket> accept(long id, long previous, long agent) {
        return transition(id, ACCEPT, List.of(DeskKeys.ticket(id), DeskKeys.agentTickets(previous), DeskKeys.agentTickets(agent)),
                agent, id);
    }

    public Uni<Ticket> decline(long id, long agent) {
        return transition(id, DECLINE, List.of(DeskKeys.ticket(id)), agent);
    }

    /** @param agent the serving agent, whose open-ticket set loses the ticket (null while waiting) */
    public Uni<Ticket> close(long id, long caller, Long agent, long now) {
        return transition(id, CLOSE, List.of(DeskKeys.ticket(id), DeskKeys.QUEUE, DeskKeys.agentTickets(agent == null ? 0 : agent)),
                caller, now, id);
    }

    /** Waiting tickets, oldest first. */
    public Uni<List<Ticket>> queue(int max) {
        return redis.sortedSet(Long.class).zrange(DeskKeys.QUEUE, 0, max - 1).flatMap(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().item(List.<Ticket>of());
            }
            List<Uni<Ticket>> tickets = new ArrayList<>();
            for (Long id : ids) {
                tickets.add(get(id));
            }
            return Uni.join().all(tickets).andFailFast()
                    .map(all -> all.stream().filter(t -> t != null && Ticket.WAITING.equals(t.state())).toList());
        });
    }

    private Uni<Ticket> transition(long id, LuaScript script, List<String> keys, Object... args) {
        return script.run(redis.getRedis(), keys, args).flatMap(result -> {
            String outcome = result.toString();
            return switch (outcome) {
                case "OK" -> get(id);
                case "NOT_FOUND" -> Uni.createFrom().failure(new FrameException(ErrorCode.NOT_FOUND, "no ticket c." + id));
                case "FORBIDDEN" -> Uni.createFrom().failure(new FrameException(ErrorCode.FORBIDDEN, "not your ticket c." + id));
                default -> Uni.createFrom().failure(new FrameException(ErrorCode.CONFLICT,
                        "ticket c." + id + " is not in a state that allows this"));
            };
        });
    }
}

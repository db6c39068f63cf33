package io.chatplatform.chat.desk;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.sequence.BlockFence;
import io.chatplatform.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
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

    /** KEYS: ticket, queue, awaiting-response. ARGV: customer, topic, now, ticket id. */
    private static final LuaScript OPEN = new LuaScript("""
            redis.call('HSET', KEYS[1], 'state', 'WAITING', 'customer', ARGV[1], 'topic', ARGV[2], 'createdAt', ARGV[3])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
            return 'OK'
            """);

    /** KEYS: ticket, queue, agent's set, last-assigned. ARGV: agent, now, ticket id, capacity. */
    private static final LuaScript GRAB = new LuaScript("""
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state then return 'NOT_FOUND' end
            if state ~= 'WAITING' then return 'CONFLICT' end
            if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[4]) then return 'FULL' end
            redis.call('HSET', KEYS[1], 'state', 'SERVING', 'agent', ARGV[1], 'claimedAt', ARGV[2])
            redis.call('ZREM', KEYS[2], ARGV[3])
            redis.call('SADD', KEYS[3], ARGV[3])
            redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
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

    /** KEYS: ticket, previous agent's set, caller's set. ARGV: caller, ticket id, capacity. */
    private static final LuaScript ACCEPT = new LuaScript("""
            local t = redis.call('HMGET', KEYS[1], 'state', 'toAgent')
            if not t[1] then return 'NOT_FOUND' end
            if t[1] ~= 'TRANSFERRING' or t[2] ~= ARGV[1] then return 'CONFLICT' end
            if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[3]) then return 'FULL' end
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

    /** KEYS: ticket, queue, agent's set (if any), awaiting-response. ARGV: caller, now, ticket id. Customer or serving agent. */
    private static final LuaScript CLOSE = new LuaScript("""
            local t = redis.call('HMGET', KEYS[1], 'state', 'customer', 'agent')
            if not t[1] then return 'NOT_FOUND' end
            if t[2] ~= ARGV[1] and t[3] ~= ARGV[1] then return 'FORBIDDEN' end
            if t[1] == 'CLOSED' then return 'CONFLICT' end
            redis.call('HSET', KEYS[1], 'state', 'CLOSED', 'closedAt', ARGV[2])
            redis.call('HDEL', KEYS[1], 'toAgent')
            redis.call('ZREM', KEYS[2], ARGV[3])
            redis.call('SREM', KEYS[3], ARGV[3])
            redis.call('ZREM', KEYS[4], ARGV[3])
            return 'OK'
            """);

    /**
     * Auto-assignment, all of it in one script so that no ticket is assigned twice and no agent goes over capacity
     * however many instances run it at once. KEYS: queue, status, last-assigned, then one ticket set per candidate
     * agent, then one hash per candidate ticket (the queue's head, oldest first). ARGV: capacity, now, number of
     * candidate agents, their ids, then the ticket ids. Each ticket still waiting goes to the online agent with the
     * fewest open tickets below capacity, ties to the one given a ticket longest ago; the first ticket nobody can
     * take ends the round (the queue's order holds). Returns ticket id, agent id, ticket id, agent id, ...
     */
    private static final LuaScript ASSIGN = new LuaScript("""
            local capacity = tonumber(ARGV[1])
            local now = tonumber(ARGV[2])
            local n = tonumber(ARGV[3])
            local agents = {}
            for i = 1, n do
              local id = ARGV[3 + i]
              if redis.call('HGET', KEYS[2], id) == 'online' then
                local last = tonumber(redis.call('HGET', KEYS[3], id) or '0')
                table.insert(agents, {id = id, set = KEYS[3 + i], load = redis.call('SCARD', KEYS[3 + i]), last = last})
              end
            end
            local out = {}
            for j = 1, #KEYS - 3 - n do
              local tid = ARGV[3 + n + j]
              local ticket = KEYS[3 + n + j]
              if redis.call('ZSCORE', KEYS[1], tid) and redis.call('HGET', ticket, 'state') == 'WAITING' then
                local best = nil
                for _, a in ipairs(agents) do
                  if a.load < capacity and (best == nil or a.load < best.load or (a.load == best.load and a.last < best.last)) then
                    best = a
                  end
                end
                if best == nil then break end
                redis.call('HSET', ticket, 'state', 'SERVING', 'agent', best.id, 'claimedAt', ARGV[2])
                redis.call('ZREM', KEYS[1], tid)
                redis.call('SADD', best.set, tid)
                redis.call('HSET', KEYS[3], best.id, ARGV[2])
                best.load = best.load + 1
                best.last = now
                table.insert(out, tid)
                table.insert(out, best.id)
              end
            end
            return out
            """);

    /**
     * Puts an offline agent's tickets back in the queue, at their first place (score = when they were opened), if the
     * agent is still offline and has been since before the cutoff. KEYS: queue, status, status-since, the agent's set,
     * then the hashes of the tickets in it. ARGV: agent, cutoff, then the ticket ids. Returns the ids requeued.
     */
    private static final LuaScript REQUEUE = new LuaScript("""
            local status = redis.call('HGET', KEYS[2], ARGV[1])
            if status and status ~= 'offline' then return {} end
            if tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0') > tonumber(ARGV[2]) then return {} end
            local out = {}
            for j = 5, #KEYS do
              local tid = ARGV[j - 2]
              local t = redis.call('HMGET', KEYS[j], 'state', 'agent', 'createdAt')
              if redis.call('SISMEMBER', KEYS[4], tid) == 1 and t[2] == ARGV[1] and (t[1] == 'SERVING' or t[1] == 'TRANSFERRING') then
                redis.call('HSET', KEYS[j], 'state', 'WAITING')
                redis.call('HDEL', KEYS[j], 'agent', 'toAgent')
                redis.call('ZADD', KEYS[1], t[3] or '0', tid)
                redis.call('SREM', KEYS[4], tid)
                table.insert(out, tid)
              end
            end
            return out
            """);

    /**
     * The customer's rating, once, after close. KEYS: ticket. ARGV: caller, score, comment. The same rating again is
     * {@code OK} (a resend after a lost reply records it again, idempotently); a different one {@code CONFLICT}.
     */
    private static final LuaScript RATE = new LuaScript("""
            local t = redis.call('HMGET', KEYS[1], 'state', 'customer', 'rating')
            if not t[1] or t[2] ~= ARGV[1] then return 'NOT_FOUND' end
            if t[1] ~= 'CLOSED' then return 'CONFLICT' end
            local rating = ARGV[2] .. ':' .. ARGV[3]
            if t[3] and t[3] ~= rating then return 'CONFLICT' end
            redis.call('HSET', KEYS[1], 'rating', rating)
            return 'OK'
            """);

    /** The serving agent's first message. KEYS: ticket, awaiting-response. ARGV: sender, ts, ticket id. 1 when it is the first. */
    private static final LuaScript RESPOND = new LuaScript("""
            if redis.call('HGET', KEYS[1], 'agent') ~= ARGV[1] then return 0 end
            if redis.call('HSETNX', KEYS[1], 'firstResponseAt', ARGV[2]) == 0 then return 0 end
            redis.call('ZREM', KEYS[2], ARGV[3])
            return 1
            """);

    /** A first response is late. KEYS: ticket, awaiting-response. ARGV: ticket id. 1 when this call marks the breach. */
    private static final LuaScript BREACH = new LuaScript("""
            redis.call('ZREM', KEYS[2], ARGV[1])
            local t = redis.call('HMGET', KEYS[1], 'state', 'firstResponseAt')
            if not t[1] or t[1] == 'CLOSED' or t[2] then return 0 end
            if redis.call('HSETNX', KEYS[1], 'slaBreached', '1') == 0 then return 0 end
            return 1
            """);

    private final ReactiveRedisDataSource redis;
    private final BlockFence fence;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final int capacity;

    public DeskTickets(ReactiveRedisDataSource redis, BlockFence fence, ChatConfig config) {
        this.redis = redis;
        this.fence = fence;
        this.hashes = redis.hash(String.class);
        this.capacity = config.desk().agentCapacity();
    }

    public int capacity() {
        return capacity;
    }

    public Uni<Ticket> get(long id) {
        return hashes.hgetall(DeskKeys.ticket(id)).map(fields -> Ticket.from(id, fields));
    }

    public Uni<Ticket> open(long customer, String topic, long now) {
        return fence.next("desk", DeskKeys.SEQUENCE, DeskKeys.SEQUENCE_CEILING)
                .flatMap(id -> transition(id, OPEN, List.of(DeskKeys.ticket(id), DeskKeys.QUEUE, DeskKeys.AWAITING_RESPONSE),
                        customer, topic, now, id));
    }

    public Uni<Ticket> grab(long id, long agent, long now) {
        return transition(id, GRAB, List.of(DeskKeys.ticket(id), DeskKeys.QUEUE, DeskKeys.agentTickets(agent), DeskKeys.LAST_ASSIGNED),
                agent, now, id, capacity);
    }

    public Uni<Ticket> transfer(long id, long agent, long toAgent) {
        return transition(id, TRANSFER, List.of(DeskKeys.ticket(id)), agent, toAgent);
    }

    /** @param previous the agent serving before the transfer */
    public Uni<Ticket> accept(long id, long previous, long agent) {
        return transition(id, ACCEPT, List.of(DeskKeys.ticket(id), DeskKeys.agentTickets(previous), DeskKeys.agentTickets(agent)),
                agent, id, capacity);
    }

    public Uni<Ticket> decline(long id, long agent) {
        return transition(id, DECLINE, List.of(DeskKeys.ticket(id)), agent);
    }

    /** @param agent the serving agent, whose open-ticket set loses the ticket (null while waiting) */
    public Uni<Ticket> close(long id, long caller, Long agent, long now) {
        return transition(id, CLOSE, List.of(DeskKeys.ticket(id), DeskKeys.QUEUE, DeskKeys.agentTickets(agent == null ? 0 : agent),
                DeskKeys.AWAITING_RESPONSE), caller, now, id);
    }

    /** @return the ticket, with its rating stored (or already stored equal) */
    public Uni<Ticket> rate(long id, long caller, int score, String comment) {
        return transition(id, RATE, List.of(DeskKeys.ticket(id)), caller, score, comment == null ? "" : comment);
    }

    /** Assigns waiting tickets (oldest first) to the candidate agents; see {@link #ASSIGN}. */
    public Uni<List<Assignment>> assign(List<Long> agents, List<Long> waiting, long now) {
        List<String> keys = new ArrayList<>(List.of(DeskKeys.QUEUE, DeskKeys.STATUS, DeskKeys.LAST_ASSIGNED));
        List<Object> args = new ArrayList<>(List.of(capacity, now, agents.size()));
        for (Long agent : agents) {
            keys.add(DeskKeys.agentTickets(agent));
            args.add(agent);
        }
        for (Long ticket : waiting) {
            keys.add(DeskKeys.ticket(ticket));
            args.add(ticket);
        }
        return ASSIGN.run(redis.getRedis(), keys, args.toArray()).map(reply -> {
            List<Assignment> assigned = new ArrayList<>();
            for (int i = 0; reply != null && i + 1 < reply.size(); i += 2) {
                assigned.add(new Assignment(reply.get(i).toLong(), reply.get(i + 1).toLong()));
            }
            return assigned;
        });
    }

    public record Assignment(long ticket, long agent) {
    }

    /** Requeues the tickets of an agent offline since before {@code cutoff}; see {@link #REQUEUE}. */
    public Uni<List<Long>> requeue(long agent, long cutoff) {
        return redis.set(Long.class).smembers(DeskKeys.agentTickets(agent)).flatMap(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().item(List.<Long>of());
            }
            List<String> keys = new ArrayList<>(List.of(DeskKeys.QUEUE, DeskKeys.STATUS, DeskKeys.STATUS_SINCE, DeskKeys.agentTickets(agent)));
            List<Object> args = new ArrayList<>(List.of(agent, cutoff));
            for (Long id : ids) {
                keys.add(DeskKeys.ticket(id));
                args.add(id);
            }
            return REQUEUE.run(redis.getRedis(), keys, args.toArray()).map(reply -> {
                List<Long> requeued = new ArrayList<>();
                for (int i = 0; reply != null && i < reply.size(); i++) {
                    requeued.add(reply.get(i).toLong());
                }
                return requeued;
            });
        });
    }

    /** @return true when {@code sender}'s message is the serving agent's first one in the ticket */
    public Uni<Boolean> firstResponse(long id, long sender, long ts) {
        return RESPOND.run(redis.getRedis(), List.of(DeskKeys.ticket(id), DeskKeys.AWAITING_RESPONSE), sender, ts, id)
                .map(reply -> reply != null && reply.toInteger() == 1);
    }

    /** Tickets opened before {@code cutoff} still without a first response (at most {@code max}). */
    public Uni<List<Long>> awaitingResponseSince(long cutoff, int max) {
        return redis.sortedSet(Long.class).zrangebyscore(DeskKeys.AWAITING_RESPONSE,
                ScoreRange.from(Double.NEGATIVE_INFINITY, (double) cutoff), new ZRangeArgs().limit(0, max));
    }

    /** @return true when this call marks the ticket's first-response SLA as breached */
    public Uni<Boolean> breach(long id) {
        return BREACH.run(redis.getRedis(), List.of(DeskKeys.ticket(id), DeskKeys.AWAITING_RESPONSE), id)
                .map(reply -> reply != null && reply.toInteger() == 1);
    }

    /** Ids of the waiting tickets, oldest first. */
    public Uni<List<Long>> queueIds(int max) {
        return redis.sortedSet(Long.class).zrange(DeskKeys.QUEUE, 0, max - 1);
    }

    /** Waiting tickets, oldest first. */
    public Uni<List<Ticket>> queue(int max) {
        return queueIds(max).flatMap(ids -> {
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
                case "FULL" -> Uni.createFrom().failure(new FrameException(ErrorCode.CONFLICT,
                        "you already hold " + capacity + " open tickets (chat.desk.agent-capacity)"));
                default -> Uni.createFrom().failure(new FrameException(ErrorCode.CONFLICT,
                        "ticket c." + id + " is not in a state that allows this"));
            };
        });
    }
}

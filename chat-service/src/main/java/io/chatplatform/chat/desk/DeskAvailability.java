package io.chatplatform.chat.desk;

import io.chatplatform.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Agents' availability ({@code online} / {@code away} / {@code offline}) and load (open tickets), shared by all chat
 * instances in {@code {desk}:status} and the agents' ticket sets. A status change also stamps
 * {@code {desk}:status-since}, which tells how long an offline agent has been away.
 */
@Singleton
public class DeskAvailability {

    public static final String ONLINE = "online";
    public static final String AWAY = "away";
    public static final String OFFLINE = "offline";
    public static final Set<String> STATUSES = Set.of(ONLINE, AWAY, OFFLINE);

    /** KEYS: status, since. ARGV: agent, status, now. 1 when the status changed. */
    private static final LuaScript SET = new LuaScript("""
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            return 1
            """);

    /** KEYS: status, since. ARGV: agent, now. A connecting agent that was offline (or never seen) comes online. 1 if so. */
    private static final LuaScript CONNECT = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current and current ~= 'offline' then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], 'online')
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """);

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final int capacity;

    public DeskAvailability(ReactiveRedisDataSource redis, DeskTickets tickets) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.capacity = tickets.capacity();
    }

    /** @return true when the agent was offline and is online now */
    public Uni<Boolean> connected(long agent, String name, long now) {
        Uni<Void> named = name == null ? Uni.createFrom().voidItem() : hashes.hset(DeskKeys.NAMES, String.valueOf(agent), name).replaceWithVoid();
        return named.flatMap(done -> CONNECT.run(redis.getRedis(), List.of(DeskKeys.STATUS, DeskKeys.STATUS_SINCE), agent, now))
                .map(reply -> reply.toInteger() == 1);
    }

    /** @return true when the status changed */
    public Uni<Boolean> set(long agent, String status, long now) {
        return SET.run(redis.getRedis(), List.of(DeskKeys.STATUS, DeskKeys.STATUS_SINCE), agent, status, now)
                .map(reply -> reply.toInteger() == 1);
    }

    /** A user who connected without the agent role (demoted) has no status: auto-assignment never picks them. */
    public Uni<Void> forget(long uid) {
        return hashes.hdel(DeskKeys.STATUS, String.valueOf(uid)).replaceWithVoid();
    }

    public Uni<String> name(long agent) {
        return hashes.hget(DeskKeys.NAMES, String.valueOf(agent));
    }

    /** Every agent with a recorded status → that status. */
    public Uni<Map<Long, String>> statuses() {
        return hashes.hgetall(DeskKeys.STATUS).map(all -> {
            Map<Long, String> byAgent = new HashMap<>();
            all.forEach((agent, status) -> byAgent.put(Long.valueOf(agent), status));
            return byAgent;
        });
    }

    /** Every agent with a recorded status → when it last changed (epoch ms). */
    public Uni<Map<Long, Long>> statusSince() {
        return hashes.hgetall(DeskKeys.STATUS_SINCE).map(all -> {
            Map<Long, Long> byAgent = new HashMap<>();
            all.forEach((agent, since) -> byAgent.put(Long.valueOf(agent), Long.valueOf(since)));
            return byAgent;
        });
    }

    public Uni<AgentState> state(long agent) {
        return states(List.of(agent)).map(states -> states.get(0));
    }

    /** Status and open tickets of each agent, in the order given. */
    public Uni<List<AgentState>> states(Collection<Long> agents) {
        if (agents.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ordered = List.copyOf(agents);
        List<Uni<Long>> loads = new ArrayList<>();
        for (Long agent : ordered) {
            loads.add(redis.set(Long.class).scard(DeskKeys.agentTickets(agent)));
        }
        return statuses().flatMap(statuses -> Uni.join().all(loads).andFailFast().map(counts -> {
            List<AgentState> states = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                Long agent = ordered.get(i);
                states.add(new AgentState(agent, statuses.getOrDefault(agent, OFFLINE), counts.get(i), capacity));
            }
            return states;
        }));
    }

    /** @param open tickets the agent serves or is transferring now */
    public record AgentState(long agent, String status, long open, int capacity) {
    }
}

package io.chatplatform.chat.desk;

import io.chatplatform.chat.session.ClientConnection;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Who the agents are: users that connected with role {@code AGENT} are recorded in {@code {desk}:agents}
 * (queue updates go to them, transfers may target them). A user that connects without the role (demoted) is taken
 * off the list. See {@link DeskConnections} for what happens on connect and disconnect.
 */
@Singleton
public class DeskAgents {

    public static final String ROLE = "AGENT";
    private final ReactiveSetCommands<String, Long> sets;

    public DeskAgents(ReactiveRedisDataSource redis) {
        this.sets = redis.set(Long.class);
    }

    /** Records (or, for a user without the role, forgets) the connecting user as an agent. */
    Uni<Void> register(ClientConnection connection) {
        return connection.device().hasRole(ROLE)
                ? sets.sadd(DeskKeys.AGENTS, connection.uid()).replaceWithVoid()
                : sets.srem(DeskKeys.AGENTS, connection.uid()).replaceWithVoid();
    }

    public Uni<Set<Long>> all() {
        return sets.smembers(DeskKeys.AGENTS);
    }

    public Uni<Boolean> isAgent(long uid) {
        return sets.sismember(DeskKeys.AGENTS, uid);
    }
}

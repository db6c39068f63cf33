package io.chatplatform.chat.desk;

import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ConnectionOpened;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Who the agents are: users that connected with role {@code AGENT} are recorded in {@code {desk}:agents}
 * (queue updates go to them, transfers may target them) and get a snapshot of the waiting queue on connect.
 * A user that connects without the role (demoted) is taken off the list.
 */
@Singleton
public class DeskAgents {

    public static final String ROLE = "AGENT";
    private static final Logger LOG = Logger.getLogger(DeskAgents.class);
    private static final int SNAPSHOT_MAX = 500;

    private final ReactiveSetCommands<String, Long> sets;
    private final DeskTickets tickets;

    public DeskAgents(ReactiveRedisDataSource redis, DeskTickets tickets) {
        this.sets = redis.set(Long.class);
        this.tickets = tickets;
    }

    void onConnect(@Observes ConnectionOpened opened) {
        var connection = opened.connection();
        Uni<Void> work;
        if (connection.device().hasRole(ROLE)) {
            work = sets.sadd(DeskKeys.AGENTS, connection.uid())
                    .flatMap(added -> tickets.queue(SNAPSHOT_MAX))
                    .invoke(waiting -> connection.send(ServerFrames.json(
                            DeskFrames.Queue.snapshot(waiting.stream().map(DeskFrames.QueueItem::of).toList()))))
                    .replaceWithVoid();
        } else {
            work = sets.srem(DeskKeys.AGENTS, connection.uid()).replaceWithVoid();
        }
        work.subscribe().with(ok -> { }, failure -> LOG.warnf("desk agent registration failed: %s", failure.toString()));
    }

    public Uni<Set<Long>> all() {
        return sets.smembers(DeskKeys.AGENTS);
    }

    public Uni<Boolean> isAgent(long uid) {
        return sets.sismember(DeskKeys.AGENTS, uid);
    }
}

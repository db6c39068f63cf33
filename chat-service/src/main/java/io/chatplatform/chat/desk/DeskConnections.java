package io.chatplatform.chat.desk;

import io.chatplatform.chat.presence.PresenceKeys;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ConnectionClosed;
import io.chatplatform.chat.session.ConnectionOpened;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The desk side of connections: an agent who connects is registered, comes online if they were offline, and gets the
 * queue snapshot (waiting tickets, agents' availability and load); an agent whose last connection anywhere closed
 * (no device left in presence, which every chat instance shares) goes offline. A user connecting without the role
 * (demoted) loses any status, so auto-assignment never picks them.
 */
@Singleton
public class DeskConnections {

    private static final Logger LOG = Logger.getLogger(DeskConnections.class);

    private final Desk desk;
    private final DeskAgents agents;
    private final DeskAvailability availability;
    private final ReactiveRedisDataSource redis;

    public DeskConnections(Desk desk, DeskAgents agents, DeskAvailability availability, ReactiveRedisDataSource redis) {
        this.desk = desk;
        this.agents = agents;
        this.availability = availability;
        this.redis = redis;
    }

    void onConnect(@Observes ConnectionOpened opened) {
        var connection = opened.connection();
        Uni<Void> work = agents.register(connection);
        if (connection.device().hasRole(DeskAgents.ROLE)) {
            work = work.flatMap(done -> availability.connected(connection.uid(), connection.device().username(), System.currentTimeMillis()))
                    .flatMap(cameOnline -> desk.snapshot().invoke(snapshot -> connection.send(ServerFrames.json(snapshot)))
                            .flatMap(sent -> cameOnline ? desk.agentChanged(connection.uid()).flatMap(done -> desk.assignWaiting())
                                    : Uni.createFrom().voidItem()));
        } else {
            work = work.flatMap(done -> availability.forget(connection.uid()));
        }
        work.subscribe().with(ok -> { }, failure -> LOG.warnf("desk agent registration failed: %s", failure.toString()));
    }

    void onClose(@Observes ConnectionClosed closed) {
        var connection = closed.connection();
        if (closed.userStillHere() || !connection.device().hasRole(DeskAgents.ROLE)) {
            return;
        }
        wentAway(connection.uid()).subscribe().with(ok -> { },
                failure -> LOG.warnf("desk availability of %d not updated: %s", connection.uid(), failure.toString()));
    }

    /** Offline once no device of the agent is present on any instance. */
    Uni<Void> wentAway(long agent) {
        return redis.key().exists(PresenceKeys.presence(agent)).flatMap(present -> present ? Uni.createFrom().voidItem()
                : availability.set(agent, DeskAvailability.OFFLINE, System.currentTimeMillis())
                        .flatMap(changed -> changed ? desk.agentChanged(agent) : Uni.createFrom().voidItem()));
    }
}

package io.chatplatform.chat.desk;

import io.chatplatform.chat.config.ChatConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The desk's timed work, on every instance every {@code chat.desk.sweep-interval} (each step is an atomic script, so
 * instances sweeping at once do each thing once): late first responses are marked and told; agents whose instance
 * died (presence expired) go offline; in auto mode, tickets of agents offline longer than
 * {@code chat.desk.reassign-after} go back to the queue, and waiting tickets are assigned (a safety net behind the
 * assignment that follows every open, close and status change).
 */
@Singleton
public class DeskSweeper {

    private static final Logger LOG = Logger.getLogger(DeskSweeper.class);

    private final Desk desk;
    private final DeskAvailability availability;
    private final DeskConnections connections;
    private final ChatConfig.Desk config;
    private final AtomicBoolean running = new AtomicBoolean();

    public DeskSweeper(Desk desk, DeskAvailability availability, DeskConnections connections, ChatConfig config) {
        this.desk = desk;
        this.availability = availability;
        this.connections = connections;
        this.config = config.desk();
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(Math.max(100, config.sweepInterval().toMillis()), id -> sweep());
    }

    void sweep() {
        if (!running.compareAndSet(false, true)) {
            return; // the previous sweep is still at work
        }
        long now = System.currentTimeMillis();
        desk.markLateResponses(now - config.firstResponse().toMillis())
                .flatMap(done -> expireVanishedAgents())
                .flatMap(done -> desk.requeueOffline(now - config.reassignAfter().toMillis()))
                .flatMap(done -> desk.assignWaiting())
                .subscribe().with(ok -> running.set(false), failure -> {
                    running.set(false);
                    LOG.debugf("desk sweep failed: %s", failure.toString());
                });
    }

    /** Agents shown online or away although none of their devices is present (their instance died) go offline. */
    private Uni<Void> expireVanishedAgents() {
        return availability.statuses().flatMap(statuses -> {
            List<Uni<Void>> checks = new ArrayList<>();
            statuses.forEach((agent, status) -> {
                if (!DeskAvailability.OFFLINE.equals(status)) {
                    checks.add(connections.wentAway(agent));
                }
            });
            return checks.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(checks).andFailFast().replaceWithVoid();
        });
    }
}

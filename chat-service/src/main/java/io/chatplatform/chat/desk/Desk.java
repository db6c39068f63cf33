package io.chatplatform.chat.desk;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.delivery.Delivery;
import io.chatplatform.chat.delivery.Router;
import io.chatplatform.chat.log.MessageLog;
import io.chatplatform.chat.message.MessagePublisher;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The consultation life cycle. Every state change is atomic in Redis ({@link DeskTickets}), then told three
 * ways: a {@code desk} event on the log (history keeps {@code consultations}), a {@code SYSTEM} message in the
 * ticket's conversation (the transcript tells the story), and {@code desk.*} frames to whoever is concerned.
 * With {@code chat.desk.assignment=auto} the desk itself assigns waiting tickets ({@link #assignWaiting}) whenever
 * a ticket arrives, capacity frees up or an agent comes online.
 */
@Singleton
public class Desk {

    private static final Logger LOG = Logger.getLogger(Desk.class);
    private static final int SNAPSHOT_MAX = 500;
    /** Waiting tickets considered by one auto-assignment round. */
    private static final int ASSIGN_BATCH = 200;

    private final DeskTickets tickets;
    private final DeskAgents agents;
    private final DeskAvailability availability;
    private final DeskPositions positions;
    private final MessagePublisher publisher;
    private final MessageLog log;
    private final Router router;
    private final boolean auto;
    private final DeskHours hours;
    private final String offlineMessage;

    public Desk(DeskTickets tickets, DeskAgents agents, DeskAvailability availability, DeskPositions positions,
            MessagePublisher publisher, MessageLog log, Router router, ChatConfig config) {
        this.tickets = tickets;
        this.agents = agents;
        this.availability = availability;
        this.positions = positions;
        this.publisher = publisher;
        this.log = log;
        this.router = router;
        this.auto = config.desk().assignment() == ChatConfig.Desk.Assignment.auto;
        this.hours = DeskHours.parse(config.desk().hours());
        this.offlineMessage = config.desk().offlineMessage();
    }

    Uni<Void> open(ClientConnection customer, String frameId, String topic) {
        long now = now();
        return tickets.open(customer.uid(), topic, now).flatMap(ticket ->
                record(ticket, "opened", customer, "Consultation opened: " + topic, frameId, ticket.parties())
                        .flatMap(done -> hours.isOpen(Instant.ofEpochMilli(now)) ? Uni.createFrom().voidItem()
                                : systemMessage(ticket, offlineMessage))
                        .flatMap(done -> toAgents(DeskFrames.Queue.added(ticket)))
                        .flatMap(done -> queueChanged()));
    }

    Uni<Void> grab(ClientConnection agent, String frameId, long ticketId) {
        requireAgent(agent);
        return tickets.grab(ticketId, agent.uid(), now()).flatMap(ticket ->
                record(ticket, "grabbed", agent, name(agent) + " is now serving you", frameId, ticket.parties())
                        .flatMap(done -> toAgents(DeskFrames.Queue.taken(ticket)))
                        .flatMap(done -> agentChanged(agent.uid()))
                        .flatMap(done -> positions.publish()));
    }

    Uni<Void> transfer(ClientConnection agent, String frameId, long ticketId, long toAgent) {
        requireAgent(agent);
        if (toAgent == agent.uid()) {
            throw FrameException.invalid("'toAgent' must be another agent");
        }
        return agents.isAgent(toAgent).flatMap(known -> {
            if (!known) {
                throw new FrameException(ErrorCode.NOT_FOUND, "no agent " + toAgent);
            }
            return tickets.transfer(ticketId, agent.uid(), toAgent);
        }).flatMap(ticket -> record(ticket, "transferring", agent, name(agent) + " is handing this consultation to another agent",
                        frameId, ticket.parties())
                .flatMap(done -> send(DeskFrames.Offer.of(ticket, agent.uid()), List.of(toAgent))));
    }

    Uni<Void> accept(ClientConnection agent, String frameId, long ticketId) {
        requireAgent(agent);
        return existing(ticketId).flatMap(before -> tickets.accept(ticketId, before.agent() == null ? 0 : before.agent(), agent.uid())
                .flatMap(ticket -> record(ticket, "accepted", agent, name(agent) + " has taken over", frameId,
                        with(ticket.parties(), before.agent())))
                .flatMap(done -> agentChanged(agent.uid()))
                .flatMap(done -> before.agent() == null ? Uni.createFrom().voidItem() : agentChanged(before.agent()))
                .flatMap(done -> assignWaiting()));
    }

    Uni<Void> decline(ClientConnection agent, String frameId, long ticketId) {
        requireAgent(agent);
        return tickets.decline(ticketId, agent.uid()).flatMap(ticket ->
                record(ticket, "declined", agent, name(agent) + " declined the transfer", frameId, with(ticket.parties(), agent.uid())));
    }

    /** By the customer or the serving agent. */
    Uni<Void> close(ClientConnection caller, String frameId, long ticketId) {
        return existing(ticketId).flatMap(before -> tickets.close(ticketId, caller.uid(), before.agent(), now())
                .flatMap(ticket -> record(ticket, "closed", caller, "Consultation closed by " + name(caller), frameId, ticket.parties())
                        .flatMap(done -> toAgents(DeskFrames.Queue.closed(ticket))))
                .flatMap(done -> before.agent() == null ? Uni.createFrom().voidItem() : agentChanged(before.agent()))
                .flatMap(done -> queueChanged()));
    }

    /** An agent's availability; coming online may bring them waiting tickets at once. */
    Uni<Void> status(ClientConnection agent, String frameId, String status) {
        requireAgent(agent);
        return availability.set(agent.uid(), status, now()).flatMap(changed -> {
            agent.send(ServerFrames.json(new DeskFrames.StatusAck("ack", frameId, status)));
            if (!changed) {
                return Uni.createFrom().voidItem();
            }
            return agentChanged(agent.uid()).flatMap(done -> DeskAvailability.ONLINE.equals(status) ? assignWaiting()
                    : Uni.createFrom().voidItem());
        });
    }

    /** A private note: a message of the ticket only its agents receive, and that history keeps from the customer. */
    Uni<Void> note(ClientConnection agent, String frameId, long ticketId, String body) {
        requireAgent(agent);
        return existing(ticketId).flatMap(ticket -> {
            if (!ticket.agents().contains(agent.uid())) {
                throw new FrameException(ErrorCode.NOT_FOUND, "no conversation " + ticket.conv());
            }
            if (ticket.isClosed()) {
                throw new FrameException(ErrorCode.FORBIDDEN, ticket.conv() + " is closed");
            }
            return publisher.appendAgentsOnly(ticket.conv(), agent.uid(), agent.deviceId(), body, ticket.members())
                    .onFailure(failure -> !(failure instanceof FrameException))
                    .transform(failure -> new FrameException(ErrorCode.UNAVAILABLE, "message store unavailable; resend"))
                    .flatMap(note -> {
                        agent.send(ServerFrames.json(ServerFrames.Ack.of(frameId, note.msgId(), note.conv(), note.seq(), note.ts())));
                        return publisher.deliver(note, ticket.agents(), agent.id());
                    });
        });
    }

    /** The customer's rating of a closed ticket, once. */
    Uni<Void> rate(ClientConnection customer, String frameId, long ticketId, int score, String comment) {
        return tickets.rate(ticketId, customer.uid(), score, comment).flatMap(ticket -> {
            DeskEvent event = new DeskEvent(StreamEvent.VERSION, DeskEvent.TYPE, ticket.conv().value(), "rated", ticket.state(),
                    ticket.customer(), ticket.agent(), customer.uid(), null, null, now(), score, comment);
            return log.append(event)
                    .onFailure().transform(failure -> new FrameException(ErrorCode.UNAVAILABLE,
                            "the rating of " + ticket.conv() + " could not be recorded yet; send it again"))
                    .invoke(() -> customer.send(ServerFrames.json(DeskFrames.Ack.of(frameId, ticket))));
        });
    }

    /** After a message in a ticket's conversation: the serving agent's first one is the ticket's first response. */
    public void messageSent(ConversationId conv, long sender, long ts) {
        if (conv.kind() != ConversationId.Kind.DESK) {
            return;
        }
        tickets.firstResponse(conv.number(), sender, ts).flatMap(first -> !first ? Uni.createFrom().voidItem()
                        : tickets.get(conv.number()).flatMap(ticket -> ticket == null ? Uni.createFrom().voidItem()
                                : log.append(event(ticket, "responded", sender, ts))))
                .subscribe().with(ok -> { }, failure -> LOG.warnf("first response of %s not recorded: %s", conv, failure.toString()));
    }

    /** Tickets whose first response is late: marked once (atomically), recorded, and told to the agents. */
    Uni<Void> markLateResponses(long cutoff) {
        return tickets.awaitingResponseSince(cutoff, 100).flatMap(ids -> each(ids, id -> tickets.breach(id).flatMap(marked -> !marked
                ? Uni.createFrom().voidItem()
                : tickets.get(id).flatMap(ticket -> log.append(event(ticket, "sla", null, now()))
                        .flatMap(done -> toAgents(DeskFrames.Sla.breached(ticket)))))));
    }

    /** Auto mode: the tickets of agents offline since before {@code cutoff} go back to the queue, then to others. */
    Uni<Void> requeueOffline(long cutoff) {
        if (!auto) {
            return Uni.createFrom().voidItem();
        }
        return Uni.combine().all().unis(availability.statuses(), availability.statusSince()).asTuple().flatMap(both -> {
            List<Long> away = new ArrayList<>();
            both.getItem1().forEach((agent, status) -> {
                if (DeskAvailability.OFFLINE.equals(status) && both.getItem2().getOrDefault(agent, 0L) <= cutoff) {
                    away.add(agent);
                }
            });
            return each(away, agent -> tickets.requeue(agent, cutoff).flatMap(requeued -> requeued.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : each(requeued, id -> tickets.get(id).flatMap(ticket -> recordQuietly(ticket, "requeued", agent,
                                    "Your agent is unavailable: you are back in the queue")
                                    .flatMap(done -> toAgents(DeskFrames.Queue.requeued(ticket)))))
                            .flatMap(done -> agentChanged(agent))
                            .flatMap(done -> queueChanged())));
        });
    }

    /**
     * Auto mode: hands waiting tickets, oldest first, to online agents below capacity (one script decides every
     * assignment of a round, see {@link DeskTickets#assign}); each assignment is then recorded and told.
     */
    public Uni<Void> assignWaiting() {
        if (!auto) {
            return Uni.createFrom().voidItem();
        }
        return availability.statuses().flatMap(statuses -> {
            List<Long> online = statuses.entrySet().stream().filter(e -> DeskAvailability.ONLINE.equals(e.getValue()))
                    .map(Map.Entry::getKey).sorted().toList();
            if (online.isEmpty()) {
                return Uni.createFrom().item(List.<DeskTickets.Assignment>of());
            }
            return tickets.queueIds(Math.min(ASSIGN_BATCH, online.size() * tickets.capacity())).flatMap(waiting -> waiting.isEmpty()
                    ? Uni.createFrom().item(List.<DeskTickets.Assignment>of())
                    : tickets.assign(online, waiting, now()));
        }).flatMap(assigned -> assigned.isEmpty() ? Uni.createFrom().voidItem()
                : each(assigned, a -> Uni.combine().all().unis(tickets.get(a.ticket()), availability.name(a.agent())).asTuple()
                        .flatMap(t -> recordQuietly(t.getItem1(), "assigned", null,
                                "Agent " + (t.getItem2() != null ? t.getItem2() : "user " + a.agent()) + " is now serving you")
                                .flatMap(done -> toAgents(DeskFrames.Queue.taken(t.getItem1())))))
                        .flatMap(done -> each(assigned.stream().map(DeskTickets.Assignment::agent).distinct().toList(), this::agentChanged))
                        .flatMap(done -> positions.publish()));
    }

    /** The queue snapshot an agent gets on connect: waiting tickets, agents' availability and load. */
    Uni<DeskFrames.Queue> snapshot() {
        return tickets.queue(SNAPSHOT_MAX).flatMap(waiting -> agents.all().flatMap(availability::states).map(states ->
                DeskFrames.Queue.snapshot(waiting.stream().map(DeskFrames.QueueItem::of).toList(),
                        states.stream().filter(s -> !DeskAvailability.OFFLINE.equals(s.status()) || s.open() > 0)
                                .map(DeskFrames.AgentItem::of).toList(),
                        tickets.capacity(), auto ? "auto" : "manual")));
    }

    /** Tells every agent one agent's status and load. */
    Uni<Void> agentChanged(long agent) {
        return availability.state(agent).flatMap(state -> toAgents(DeskFrames.Queue.agent(state)));
    }

    private Uni<Void> queueChanged() {
        return positions.publish().flatMap(done -> assignWaiting());
    }

    private Uni<Ticket> existing(long ticketId) {
        return tickets.get(ticketId).map(ticket -> {
            if (ticket == null) {
                throw new FrameException(ErrorCode.NOT_FOUND, "no ticket c." + ticketId);
            }
            return ticket;
        });
    }

    /**
     * One change told: the desk event and the system message go on the log, and only then is the actor acked (an ack
     * means durable); then the system message and the state frame reach the audience.
     */
    private Uni<Void> record(Ticket ticket, String action, ClientConnection actor, String text, String frameId,
            Collection<Long> audience) {
        return log.append(event(ticket, action, actor.uid(), now()))
                .flatMap(logged -> publisher.append(ticket.conv(), actor.uid(), actor.deviceId(), MessageEvent.SYSTEM, "text", text,
                        null, ticket.members()))
                .onFailure(failure -> !(failure instanceof FrameException))
                .transform(failure -> new FrameException(ErrorCode.UNAVAILABLE, "the change of c." + ticket.id()
                        + " is made but could not be recorded yet; check the ticket's state before repeating"))
                .flatMap(message -> {
                    actor.send(ServerFrames.json(DeskFrames.Ack.of(frameId, ticket)));
                    return publisher.deliver(message, audience, null);
                })
                .flatMap(delivered -> send(DeskFrames.State.of(ticket), audience));
    }

    /** A change the desk made itself (assignment, requeue): recorded as {@link #record}, with nobody to ack. */
    private Uni<Void> recordQuietly(Ticket ticket, String action, Long actor, String text) {
        List<Long> audience = with(ticket.parties(), actor);
        return log.append(event(ticket, action, actor, now()))
                .flatMap(logged -> publisher.append(ticket.conv(), 0, null, MessageEvent.SYSTEM, "text", text, null, ticket.members()))
                .flatMap(message -> publisher.deliver(message, audience, null))
                .flatMap(delivered -> send(DeskFrames.State.of(ticket), audience));
    }

    private Uni<Void> systemMessage(Ticket ticket, String text) {
        return publisher.append(ticket.conv(), 0, null, MessageEvent.SYSTEM, "text", text, null, ticket.members())
                .flatMap(message -> publisher.deliver(message, ticket.members(), null));
    }

    private static DeskEvent event(Ticket ticket, String action, Long actor, long ts) {
        return new DeskEvent(StreamEvent.VERSION, DeskEvent.TYPE, ticket.conv().value(), action, ticket.state(),
                ticket.customer(), ticket.agent(), actor, ticket.toAgent(), ticket.topic(), ts);
    }

    private Uni<Void> toAgents(Object frame) {
        return agents.all().flatMap(all -> send(frame, all));
    }

    private Uni<Void> send(Object frame, Collection<Long> uids) {
        return router.route(new Delivery(ServerFrames.json(frame), uids, null, 0));
    }

    /** Runs {@code work} for each item, one after another. */
    private static <T> Uni<Void> each(List<T> items, java.util.function.Function<T, Uni<Void>> work) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.flatMap(done -> work.apply(item));
        }
        return chain;
    }

    private static void requireAgent(ClientConnection connection) {
        if (!connection.device().hasRole(DeskAgents.ROLE)) {
            throw new FrameException(ErrorCode.FORBIDDEN, "only agents can do this");
        }
    }

    private static List<Long> with(List<Long> parties, Long extra) {
        List<Long> all = new ArrayList<>(parties);
        if (extra != null && !all.contains(extra)) {
            all.add(extra);
        }
        return all;
    }

    private static String name(ClientConnection connection) {
        String username = connection.device().username();
        return (connection.device().hasRole(DeskAgents.ROLE) ? "Agent " : "") + (username != null ? username : "user " + connection.uid());
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}

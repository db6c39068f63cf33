package io.chatplatform.chat.desk;

import io.chatplatform.chat.delivery.Delivery;
import io.chatplatform.chat.delivery.Router;
import io.chatplatform.chat.log.MessageLog;
import io.chatplatform.chat.message.MessagePublisher;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The consultation life cycle. Every state change is atomic in Redis ({@link DeskTickets}), then told three
 * ways: a {@code desk} event on the log (history keeps {@code consultations}), a {@code SYSTEM} message in the
 * ticket's conversation (the transcript tells the story), and {@code desk.*} frames to whoever is concerned.
 */
@Singleton
public class Desk {

    private final DeskTickets tickets;
    private final DeskAgents agents;
    private final MessagePublisher publisher;
    private final MessageLog log;
    private final Router router;

    public Desk(DeskTickets tickets, DeskAgents agents, MessagePublisher publisher, MessageLog log, Router router) {
        this.tickets = tickets;
        this.agents = agents;
        this.publisher = publisher;
        this.log = log;
        this.router = router;
    }

    Uni<Void> open(ClientConnection customer, String frameId, String topic) {
        return tickets.open(customer.uid(), topic, now()).flatMap(ticket ->
                record(ticket, "opened", customer, "Consultation opened: " + topic, frameId, ticket.parties())
                        .flatMap(done -> toAgents(DeskFrames.Queue.added(ticket))));
    }

    Uni<Void> grab(ClientConnection agent, String frameId, long ticketId) {
        requireAgent(agent);
        return tickets.grab(ticketId, agent.uid(), now()).flatMap(ticket ->
                record(ticket, "grabbed", agent, name(agent) + " is now serving you", frameId, ticket.parties())
                        .flatMap(done -> toAgents(DeskFrames.Queue.taken(ticket))));
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
                        with(ticket.parties(), before.agent()))));
    }

    Uni<Void> decline(ClientConnection agent, String frameId, long ticketId) {
        requireAgent(agent);
        return tickets.decline(ticketId, agent.uid()).flatMap(ticket ->
                record(ticket, "declined", agent, name(agent) + " declined the transfer", frameId, with(ticket.parties(), agent.uid())));
    }

    /** By the customer or the serving agent. */
    Uni<Void> close(ClientConnection caller, String frameId, long ticketId) {
        return existing(ticketId).flatMap(before -> tickets.close(ticketId, caller.uid(), before.agent(), now())).flatMap(ticket ->
                record(ticket, "closed", caller, "Consultation closed by " + name(caller), frameId, ticket.parties())
                        .flatMap(done -> toAgents(DeskFrames.Queue.closed(ticket))));
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
        DeskEvent event = new DeskEvent(StreamEvent.VERSION, DeskEvent.TYPE, ticket.conv().value(), action, ticket.state(),
                ticket.customer(), ticket.agent(), actor.uid(), ticket.toAgent(), ticket.topic(), now());
        return log.append(event)
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

    private Uni<Void> toAgents(Object frame) {
        return agents.all().flatMap(all -> send(frame, all));
    }

    private Uni<Void> send(Object frame, Collection<Long> uids) {
        return router.route(new Delivery(ServerFrames.json(frame), uids, null, 0));
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

package io.chatplatform.chat.desk;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chatplatform.common.conversation.ConversationId;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Server → client frames of the desk. Tickets are named by their conversation id {@code c.{id}}. */
final class DeskFrames {

    private DeskFrames() {
    }

    @RegisterForReflection
    record Ack(String type, String id, String ticket, String state) {
        static Ack of(String id, Ticket ticket) {
            return new Ack("ack", id, ticket.conv().value(), ticket.state());
        }
    }

    @RegisterForReflection
    record QueueItem(String ticket, String topic, long customer, long ts) {
        static QueueItem of(Ticket ticket) {
            return new QueueItem(ticket.conv().value(), ticket.topic(), ticket.customer(), ticket.createdAt());
        }
    }

    /** An agent's availability and load, in the snapshot's {@code agents} and in {@code desk.queue {event:"agent"}}. */
    @RegisterForReflection
    record AgentItem(long agent, String status, long open, int capacity) {
        static AgentItem of(DeskAvailability.AgentState s) {
            return new AgentItem(s.agent(), s.status(), s.open(), s.capacity());
        }
    }

    /**
     * {@code event}: snapshot (with items, agents, capacity, assignment), added, taken (with agent), closed,
     * requeued (back in the queue: its agent went offline), agent (one agent's status and load changed).
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Queue(String type, String event, String ticket, String topic, Long customer, Long agent, Long ts,
            List<QueueItem> items, List<AgentItem> agents, Integer capacity, String assignment, String status, Long open) {
        static Queue snapshot(List<QueueItem> items, List<AgentItem> agents, int capacity, String assignment) {
            return new Queue("desk.queue", "snapshot", null, null, null, null, null, items, agents, capacity, assignment, null, null);
        }

        static Queue added(Ticket t) {
            return new Queue("desk.queue", "added", t.conv().value(), t.topic(), t.customer(), null, t.createdAt(), null, null,
                    null, null, null, null);
        }

        static Queue requeued(Ticket t) {
            return new Queue("desk.queue", "requeued", t.conv().value(), t.topic(), t.customer(), null, t.createdAt(), null, null,
                    null, null, null, null);
        }

        static Queue taken(Ticket t) {
            return new Queue("desk.queue", "taken", t.conv().value(), null, null, t.agent(), null, null, null, null, null, null, null);
        }

        static Queue closed(Ticket t) {
            return new Queue("desk.queue", "closed", t.conv().value(), null, null, null, null, null, null, null, null, null, null);
        }

        static Queue agent(DeskAvailability.AgentState s) {
            return new Queue("desk.queue", "agent", null, null, null, s.agent(), null, null, null, s.capacity(), null, s.status(),
                    s.open());
        }
    }

    /** To a waiting customer: their place in the queue, 1 = next. */
    @RegisterForReflection
    record Position(String type, String ticket, long position) {
        static Position of(long ticketId, long position) {
            return new Position("desk.position", ConversationId.desk(ticketId).value(), position);
        }
    }

    /** To agents: a ticket's first response is late. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Sla(String type, String ticket, boolean breached, Long agent) {
        static Sla breached(Ticket t) {
            return new Sla("desk.sla", t.conv().value(), true, t.agent());
        }
    }

    /** Reply to {@code desk.status}. */
    @RegisterForReflection
    record StatusAck(String type, String id, String status) {
    }


    @RegisterForReflection
    record Offer(String type, String ticket, long from, String topic, long customer) {
        static Offer of(Ticket t, long from) {
            return new Offer("desk.offer", t.conv().value(), from, t.topic(), t.customer());
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record State(String type, String ticket, String state, Long agent, Long toAgent) {
        static State of(Ticket t) {
            return new State("desk.state", t.conv().value(), t.state(), t.agent(), t.toAgent());
        }
    }
}

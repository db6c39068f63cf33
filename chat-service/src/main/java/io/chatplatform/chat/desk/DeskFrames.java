package io.chatplatform.chat.desk;

import com.fasterxml.jackson.annotation.JsonInclude;
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

    /** {@code event}: snapshot (with items), added, taken (with agent), closed. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Queue(String type, String event, String ticket, String topic, Long customer, Long agent, Long ts,
            List<QueueItem> items) {
        static Queue snapshot(List<QueueItem> items) {
            return new Queue("desk.queue", "snapshot", null, null, null, null, null, items);
        }

        static Queue added(Ticket t) {
            return new Queue("desk.queue", "added", t.conv().value(), t.topic(), t.customer(), null, t.createdAt(), null);
        }

        static Queue taken(Ticket t) {
            return new Queue("desk.queue", "taken", t.conv().value(), null, null, t.agent(), null, null);
        }

        static Queue closed(Ticket t) {
            return new Queue("desk.queue", "closed", t.conv().value(), null, null, null, null, null);
        }
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

package io.chatplatform.chat.desk;

import io.chatplatform.common.conversation.ConversationId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A consultation as stored in {@code {desk}:ticket:{id}}. */
public record Ticket(long id, String state, long customer, Long agent, Long toAgent, String topic, long createdAt) {

    public static final String WAITING = "WAITING";
    public static final String SERVING = "SERVING";
    public static final String TRANSFERRING = "TRANSFERRING";
    public static final String CLOSED = "CLOSED";

    static Ticket from(long id, Map<String, String> fields) {
        if (fields == null || fields.isEmpty() || fields.get("state") == null) {
            return null;
        }
        return new Ticket(id, fields.get("state"), Long.parseLong(fields.get("customer")), optionalLong(fields.get("agent")),
                optionalLong(fields.get("toAgent")), fields.get("topic"), Long.parseLong(fields.getOrDefault("createdAt", "0")));
    }

    public ConversationId conv() {
        return ConversationId.desk(id);
    }

    /** Who receives the ticket's live messages: the customer and the agent serving now. */
    public List<Long> members() {
        List<Long> members = new ArrayList<>(2);
        members.add(customer);
        if (agent != null) {
            members.add(agent);
        }
        return members;
    }

    /** Who hears of a state change: the members plus a transfer's target. */
    public List<Long> parties() {
        List<Long> parties = members();
        if (toAgent != null && !parties.contains(toAgent)) {
            parties.add(toAgent);
        }
        return parties;
    }

    /** The ticket's agents: the one serving and a transfer's target (private notes go to them). */
    public List<Long> agents() {
        List<Long> agents = new ArrayList<>(2);
        if (agent != null) {
            agents.add(agent);
        }
        if (toAgent != null && !agents.contains(toAgent)) {
            agents.add(toAgent);
        }
        return agents;
    }

    public boolean isClosed() {
        return CLOSED.equals(state);
    }

    private static Long optionalLong(String value) {
        return value == null || value.isEmpty() ? null : Long.valueOf(value);
    }
}

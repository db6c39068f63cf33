package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A consultation (desk ticket) state change. {@code conv} is the ticket's conversation {@code c.{id}}.
 *
 * @param action what happened: {@code opened}, {@code grabbed}, {@code assigned} (by auto-assignment),
 *               {@code transferring}, {@code accepted}, {@code declined}, {@code requeued} (back to the queue: its agent
 *               went offline), {@code closed}, {@code responded} (the agent's first message; {@code ts} is its time),
 *               {@code sla} (the first response is late), {@code rated} (the customer's rating, after close)
 * @param state  the state after it: {@code WAITING}, {@code SERVING}, {@code TRANSFERRING}, {@code CLOSED}
 * @param agent  the agent serving after the change (null while waiting)
 * @param actor  who caused it
 * @param toAgent the transfer target, for {@code transferring}
 * @param score   the rating 1–5, for {@code rated}
 * @param comment the rating's optional comment, for {@code rated}
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeskEvent(int v, String type, String conv, String action, String state, long customer, Long agent,
        Long actor, Long toAgent, String topic, long ts, Integer score, String comment) implements StreamEvent {

    public static final String TYPE = "desk";

    public DeskEvent(int v, String type, String conv, String action, String state, long customer, Long agent, Long actor,
            Long toAgent, String topic, long ts) {
        this(v, type, conv, action, state, customer, agent, actor, toAgent, topic, ts, null, null);
    }
}

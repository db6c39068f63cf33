package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A consultation (desk ticket) state change. {@code conv} is the ticket's conversation {@code c.{id}}.
 *
 * @param action what happened: {@code opened}, {@code grabbed}, {@code assigned}, {@code transferring},
 *               {@code accepted}, {@code declined}, {@code closed}
 * @param state  the state after it: {@code WAITING}, {@code SERVING}, {@code TRANSFERRING}, {@code CLOSED}
 * @param agent  the agent serving after the change (null while waiting)
 * @param actor  who caused it
 * @param toAgent the transfer target, for {@code transferring}
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeskEvent(int v, String type, String conv, String action, String state, long customer, Long agent,
        Long actor, Long toAgent, String topic, long ts) implements StreamEvent {

    public static final String TYPE = "desk";
}

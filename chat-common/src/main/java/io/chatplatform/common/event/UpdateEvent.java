package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A change to a message that was sent earlier: the fields of the {@code update} frame.
 *
 * @param seq   the update's own seq in the conversation (taken from the same counter as messages); null for
 *              {@code hide}, which concerns only {@code by}
 * @param op    {@link #EDIT}, {@link #RECALL}, {@link #REACT}, {@link #UNREACT} or {@link #HIDE}
 * @param by    who made the change
 * @param body  the new text, for {@code edit}
 * @param emoji the reaction, for {@code react} / {@code unreact}
 * @param ts    server time in epoch milliseconds
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateEvent(int v, String type, String conv, Long seq, String msgId, String op, long by, String byDevice,
        long ts, String body, String emoji) implements StreamEvent {

    public static final String TYPE = "update";
    public static final String EDIT = "edit";
    public static final String RECALL = "recall";
    public static final String REACT = "react";
    public static final String UNREACT = "unreact";
    public static final String HIDE = "hide";

    public static UpdateEvent of(String conv, Long seq, String msgId, String op, long by, String byDevice, long ts,
            String body, String emoji) {
        return new UpdateEvent(VERSION, TYPE, conv, seq, msgId, op, by, byDevice, ts, body, emoji);
    }

    /** Whether the update takes a seq and reaches every member (all but {@code hide}). */
    public boolean sequenced() {
        return !HIDE.equals(op);
    }
}

package io.chatplatform.history.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Preview of a conversation's newest message; {@code text} is the body cut to 100 characters (its current text when
 * {@code edited}; none when {@code recalled}).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LastMessageView(String msgId, long seq, long from, String senderType, String kind, String text, long ts,
        Boolean edited, Boolean recalled) {
}

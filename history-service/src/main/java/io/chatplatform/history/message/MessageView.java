package io.chatplatform.history.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chatplatform.common.event.Media;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One stored message, shaped like chat-service's {@code message} frame ({@code body} or {@code media});
 * {@code visibility: "agents"} marks a desk agent's private note (only desk staff get those).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageView(String type, String msgId, String conv, long seq, long from, String fromDevice,
        String senderType, String kind, String body, Media media, long ts, String visibility) {

    public static final String TYPE = "message";

    public boolean agentsOnly() {
        return "agents".equals(visibility);
    }
}

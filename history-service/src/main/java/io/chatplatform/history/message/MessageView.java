package io.chatplatform.history.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chatplatform.common.event.ForwardOf;
import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.Mentions;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * One stored message in its final state, shaped like chat-service's {@code message} frame ({@code body} or
 * {@code media}), plus what updates made of it: {@code edited}/{@code editedAt}, {@code recalled} (then without body
 * and media), {@code reactions} (emoji → uids, in the order they came).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageView(String type, String msgId, String conv, long seq, long from, String fromDevice,
        String senderType, String kind, String body, Media media, long ts, Boolean edited, Long editedAt, Boolean recalled,
        Map<String, List<Long>> reactions, ReplyView replyTo, Mentions mentions, ForwardOf forwardOf, String visibility)
        implements HistoryItem {

    public static final String TYPE = "message";

    /** The same message with another media (e.g. a fresh signed URL of an upload). */
    public MessageView withMedia(Media m) {
        return new MessageView(type, msgId, conv, seq, from, fromDevice, senderType, kind, body, m, ts, edited, editedAt,
                recalled, reactions, replyTo, mentions, forwardOf, visibility);
    }

    @Override
    public long position() {
        return seq;
    }

    public boolean agentsOnly() {
        return "agents".equals(visibility);
    }

    /** The quoted message; {@code preview} is gone and {@code recalled} true once that message is recalled. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplyView(String msgId, long seq, long from, String kind, String preview, Boolean recalled) {
    }
}

package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A message as stored and delivered: the fields of the {@code message} frame, plus the member snapshot for
 * direct and desk conversations (groups resolve members from {@code group:{gid}:members}).
 *
 * @param senderType {@code USER}, or {@code SYSTEM} for desk state changes and other server notes
 * @param ts server time in epoch milliseconds
 * @param replyTo   the message this one answers (same conversation), or null
 * @param mentions  who it mentions, or null
 * @param forwardOf where its content was copied from, or null
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageEvent(int v, String type, String msgId, String conv, long seq, long from, String fromDevice,
        String senderType, String kind, String body, Media media, long ts, List<Long> members, ReplyTo replyTo,
        Mentions mentions, ForwardOf forwardOf) implements StreamEvent {

    public static final String TYPE = "message";
    public static final String USER = "USER";
    public static final String SYSTEM = "SYSTEM";

    /** A message without reply, mentions or forward. */
    public MessageEvent(int v, String type, String msgId, String conv, long seq, long from, String fromDevice,
            String senderType, String kind, String body, Media media, long ts, List<Long> members) {
        this(v, type, msgId, conv, seq, from, fromDevice, senderType, kind, body, media, ts, members, null, null, null);
    }
}

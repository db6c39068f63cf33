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
 * @param visibility null for everyone in the conversation; {@code agents} for a desk agent's private note, which
 *                   only the ticket's agents receive and which history leaves out for the customer
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageEvent(int v, String type, String msgId, String conv, long seq, long from, String fromDevice,
        String senderType, String kind, String body, Media media, long ts, List<Long> members, ReplyTo replyTo,
        Mentions mentions, ForwardOf forwardOf, String visibility) implements StreamEvent {

    public static final String TYPE = "message";
    public static final String USER = "USER";
    public static final String SYSTEM = "SYSTEM";
    /** {@link #visibility()} of a desk agent's private note. */
    public static final String AGENTS_ONLY = "agents";

    /** A message everyone in the conversation sees, without reply, mentions or forward. */
    public MessageEvent(int v, String type, String msgId, String conv, long seq, long from, String fromDevice,
            String senderType, String kind, String body, Media media, long ts, List<Long> members) {
        this(v, type, msgId, conv, seq, from, fromDevice, senderType, kind, body, media, ts, members, null, null, null, null);
    }

    /** A message with the given visibility, without reply, mentions or forward (a desk note). */
    public MessageEvent(int v, String type, String msgId, String conv, long seq, long from, String fromDevice,
            String senderType, String kind, String body, Media media, long ts, List<Long> members, String visibility) {
        this(v, type, msgId, conv, seq, from, fromDevice, senderType, kind, body, media, ts, members, null, null, null,
                visibility);
    }

    /** A message everyone in the conversation sees. */
    public MessageEvent(int v, String type, String msgId, String conv, long seq, long from, String fromDevice,
            String senderType, String kind, String body, Media media, long ts, List<Long> members, ReplyTo replyTo,
            Mentions mentions, ForwardOf forwardOf) {
        this(v, type, msgId, conv, seq, from, fromDevice, senderType, kind, body, media, ts, members, replyTo, mentions,
                forwardOf, null);
    }

    public boolean agentsOnly() {
        return AGENTS_ONLY.equals(visibility);
    }
}

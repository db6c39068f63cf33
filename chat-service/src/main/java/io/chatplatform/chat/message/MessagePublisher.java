package io.chatplatform.chat.message;

import com.github.f4b6a3.ulid.UlidCreator;
import io.chatplatform.chat.delivery.Delivery;
import io.chatplatform.chat.delivery.Router;
import io.chatplatform.chat.log.MessageLog;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.ForwardOf;
import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.Mentions;
import io.chatplatform.common.event.ReplyTo;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The two halves of publishing a message, user or system: {@link #append} sequences it and writes it to the
 * durable log; {@link #deliver} hands it to the members' devices. Callers may act in between (the ack).
 */
@Singleton
public class MessagePublisher {

    private final ConversationCounters counters;
    private final MessageLog log;
    private final Router router;

    public MessagePublisher(ConversationCounters counters, MessageLog log, Router router) {
        this.counters = counters;
        this.log = log;
        this.router = router;
    }

    /**
     * @param members who belongs to the conversation now; kept in the event for direct and desk
     *                conversations (groups resolve members from their Redis mirror)
     */
    public Uni<MessageEvent> append(ConversationId conv, long from, String fromDevice, String senderType, String kind,
            String body, Media media, List<Long> members) {
        return counters.nextSeq(conv.value(), from).flatMap(seq -> {
            MessageEvent event = event(conv, seq, from, fromDevice, senderType, kind, body, media, members);
            return log.append(event).replaceWith(event);
        });
    }

    /** As {@link #append}, for a message only the desk ticket's agents see (a private note). */
    public Uni<MessageEvent> appendAgentsOnly(ConversationId conv, long from, String fromDevice, String body, List<Long> members) {
        return counters.nextSeq(conv.value(), from).flatMap(seq -> {
            MessageEvent visible = event(conv, seq, from, fromDevice, MessageEvent.USER, "text", body, null, members);
            MessageEvent note = new MessageEvent(visible.v(), visible.type(), visible.msgId(), visible.conv(), visible.seq(),
                    visible.from(), visible.fromDevice(), visible.senderType(), visible.kind(), visible.body(), null, visible.ts(),
                    visible.members(), MessageEvent.AGENTS_ONLY);
            return log.append(note).replaceWith(note);
        });
    }

    /** The event of a message whose seq is taken: a new time-ordered id, stamped now. */
    MessageEvent event(ConversationId conv, long seq, long from, String fromDevice, String senderType, String kind,
            String body, Media media, List<Long> members) {
        return event(conv, newMessageId(), seq, System.currentTimeMillis(), from, fromDevice, senderType, kind, body, media, members);
    }

    MessageEvent event(ConversationId conv, String msgId, long seq, long ts, long from, String fromDevice, String senderType,
            String kind, String body, Media media, List<Long> members) {
        return event(conv, msgId, seq, ts, from, fromDevice, senderType, kind, body, media, members, null, null, null);
    }

    MessageEvent event(ConversationId conv, String msgId, long seq, long ts, long from, String fromDevice, String senderType,
            String kind, String body, Media media, List<Long> members, ReplyTo replyTo, Mentions mentions, ForwardOf forwardOf) {
        return new MessageEvent(StreamEvent.VERSION, MessageEvent.TYPE, msgId, conv.value(), seq, from, fromDevice, senderType,
                kind, body, media, ts, conv.kind() == ConversationId.Kind.GROUP ? null : List.copyOf(members), replyTo, mentions,
                forwardOf);
    }

    /** A new time-ordered message id (ULID). */
    String newMessageId() {
        return UlidCreator.getMonotonicUlid().toString();
    }

    public Uni<Void> deliver(MessageEvent event, Collection<Long> recipients, String exceptConnection) {
        return router.route(delivery(event, recipients, exceptConnection));
    }

    /** As {@link #deliver}, with the recipients' instances already looked up. */
    Uni<Void> deliver(MessageEvent event, Collection<Long> recipients, String exceptConnection,
            Map<String, List<Long>> remoteInstances) {
        return router.route(delivery(event, recipients, exceptConnection), remoteInstances);
    }

    private static Delivery delivery(MessageEvent event, Collection<Long> recipients, String exceptConnection) {
        return new Delivery(ServerFrames.message(event), recipients, exceptConnection, event.ts());
    }
}

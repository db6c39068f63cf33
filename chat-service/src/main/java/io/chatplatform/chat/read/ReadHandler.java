package io.chatplatform.chat.read;

import io.chatplatform.chat.conversation.Membership;
import io.chatplatform.chat.delivery.Delivery;
import io.chatplatform.chat.delivery.Router;
import io.chatplatform.chat.message.ConversationCounters;
import io.chatplatform.chat.log.MessageLog;
import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.ReadEvent;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * {@code read {conv, seq}}: the read marker only moves forward, and never past the last message. A move is
 * logged (history keeps unread counts) and sent as a {@code receipt} to the members' other connections.
 * The reply is an {@code ack {id, conv, seq}} carrying the marker after the call.
 */
@Singleton
public class ReadHandler implements FrameHandler {

    private final Membership membership;
    private final ConversationCounters counters;
    private final MessageLog log;
    private final Router router;

    public ReadHandler(Membership membership, ConversationCounters counters, MessageLog log, Router router) {
        this.membership = membership;
        this.counters = counters;
        this.log = log;
        this.router = router;
    }

    @Override
    public Set<String> types() {
        return Set.of("read");
    }

    @Override
    public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
        ConversationId conv = ConversationId.parse(frame.requiredString("conv", 48))
                .orElseThrow(() -> FrameException.invalid("'conv' is not a conversation id"));
        long seq = frame.requiredPositiveLong("seq");
        long uid = connection.uid();
        return membership.membersFor(uid, conv).flatMap(members -> counters.markRead(conv.value(), uid, seq).flatMap(mark -> {
            if (mark.outcome() < 0) {
                throw FrameException.invalid("'seq' " + seq + " is beyond the last message " + mark.seq() + " of " + conv);
            }
            connection.send(ServerFrames.json(new ServerFrames.Ack("ack", frame.id(), null, conv.value(), mark.seq(), null)));
            if (mark.outcome() == 0) {
                return Uni.createFrom().voidItem();
            }
            long now = System.currentTimeMillis();
            return log.append(ReadEvent.of(conv.value(), uid, mark.seq(), now))
                    .flatMap(logged -> router.route(new Delivery(
                            ServerFrames.json(ServerFrames.Receipt.of(conv.value(), uid, mark.seq())), members, connection.id(), 0)));
        }));
    }
}

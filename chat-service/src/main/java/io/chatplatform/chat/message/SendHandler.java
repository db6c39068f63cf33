package io.chatplatform.chat.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.f4b6a3.ulid.UlidCreator;
import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.conversation.Membership;
import io.chatplatform.chat.delivery.Delivery;
import io.chatplatform.chat.delivery.Router;
import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code send}: validate, check membership, claim the client id, take the next seq, append to the durable log,
 * ack, then deliver to every device of every member except the sending connection.
 */
@ApplicationScoped
public class SendHandler implements FrameHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Membership membership;
    private final SendDedup dedup;
    private final ConversationCounters counters;
    private final MessageLog log;
    private final Router router;
    private final int maxBodyChars;
    private final Counter received;

    public SendHandler(Membership membership, SendDedup dedup, ConversationCounters counters, MessageLog log, Router router,
            ChatConfig config, MeterRegistry metrics) {
        this.membership = membership;
        this.dedup = dedup;
        this.counters = counters;
        this.log = log;
        this.router = router;
        this.maxBodyChars = config.limits().maxBodyChars();
        this.received = metrics.counter("chat.messages.received");
    }

    @Override
    public String type() {
        return "send";
    }

    @Override
    public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
        OutgoingMessage message = OutgoingMessage.from(frame, connection.uid(), maxBodyChars);
        long sender = connection.uid();
        return membership.membersFor(sender, message.conv())
                .flatMap(members -> dedup.claim(sender, message.cid()).flatMap(previous -> {
                    if (previous == null) {
                        return publish(connection, frame.id(), message, members);
                    }
                    if (SendDedup.PENDING.equals(previous)) {
                        throw new FrameException(ErrorCode.CONFLICT, "a send with this cid is still in progress; retry");
                    }
                    connection.send(reAck(previous, frame.id()));
                    return Uni.createFrom().voidItem();
                }));
    }

    private Uni<Void> publish(ClientConnection connection, String frameId, OutgoingMessage message, List<Long> members) {
        String conv = message.conv().value();
        long sender = connection.uid();
        return counters.nextSeq(conv, sender).flatMap(seq -> {
            MessageEvent event = new MessageEvent(StreamEvent.VERSION, MessageEvent.TYPE, UlidCreator.getMonotonicUlid().toString(),
                    conv, seq, sender, connection.deviceId(), MessageEvent.USER, message.kind(), message.body(), message.media(),
                    System.currentTimeMillis(), message.conv().kind() == ConversationId.Kind.GROUP ? null : members);
            ServerFrames.Ack ack = ServerFrames.Ack.of(null, event.msgId(), conv, seq, event.ts());
            return log.append(event)
                    .onFailure().call(() -> dedup.release(sender, message.cid()))
                    .onFailure().transform(e -> new FrameException(ErrorCode.UNAVAILABLE, "message store unavailable; resend"))
                    .flatMap(appended -> dedup.complete(sender, message.cid(), ServerFrames.json(ack)))
                    .flatMap(done -> {
                        received.increment();
                        connection.send(ServerFrames.json(ServerFrames.Ack.of(frameId, event.msgId(), conv, seq, event.ts())));
                        return router.route(new Delivery(ServerFrames.message(event), members, connection.id(), event.ts()));
                    });
        });
    }

    /** The stored ack of the first send, with this frame's correlation id. */
    private static String reAck(String storedAck, String frameId) {
        try {
            ServerFrames.Ack first = JSON.readValue(storedAck, ServerFrames.Ack.class);
            return ServerFrames.json(new ServerFrames.Ack("ack", frameId, first.msgId(), first.conv(), first.seq(), first.ts()));
        } catch (JsonProcessingException e) {
            throw new FrameException(ErrorCode.INTERNAL, "stored ack unreadable");
        }
    }
}

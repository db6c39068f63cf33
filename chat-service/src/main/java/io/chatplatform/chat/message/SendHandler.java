package io.chatplatform.chat.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.conversation.Membership;
import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.event.MessageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
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
    private final MessagePublisher publisher;
    private final int maxBodyChars;
    private final Counter received;

    public SendHandler(Membership membership, SendDedup dedup, MessagePublisher publisher, ChatConfig config,
            MeterRegistry metrics) {
        this.membership = membership;
        this.dedup = dedup;
        this.publisher = publisher;
        this.maxBodyChars = config.limits().maxBodyChars();
        this.received = metrics.counter("chat.messages.received");
    }

    @Override
    public Set<String> types() {
        return Set.of("send");
    }

    @Override
    public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
        OutgoingMessage message = OutgoingMessage.from(frame, connection.uid(), maxBodyChars);
        long sender = connection.uid();
        return membership.sendableMembersFor(sender, message.conv())
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
        long sender = connection.uid();
        return publisher.append(message.conv(), sender, connection.deviceId(), MessageEvent.USER, message.kind(), message.body(),
                        message.media(), members)
                .onFailure().call(() -> dedup.release(sender, message.cid()))
                .onFailure().transform(e -> new FrameException(ErrorCode.UNAVAILABLE, "message store unavailable; resend"))
                .flatMap(event -> {
                    ServerFrames.Ack ack = ServerFrames.Ack.of(frameId, event.msgId(), event.conv(), event.seq(), event.ts());
                    return dedup.complete(sender, message.cid(), ServerFrames.json(ack.withId(null))).flatMap(done -> {
                        received.increment();
                        connection.send(ServerFrames.json(ack));
                        return publisher.deliver(event, members, connection.id());
                    });
                });
    }

    /** The stored ack of the first send, with this frame's correlation id. */
    private static String reAck(String storedAck, String frameId) {
        try {
            return ServerFrames.json(JSON.readValue(storedAck, ServerFrames.Ack.class).withId(frameId));
        } catch (JsonProcessingException e) {
            throw new FrameException(ErrorCode.INTERNAL, "stored ack unreadable");
        }
    }
}

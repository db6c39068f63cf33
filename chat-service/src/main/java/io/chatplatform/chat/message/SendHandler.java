package io.chatplatform.chat.message;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.desk.Desk;
import io.chatplatform.chat.log.MessageLog;
import io.chatplatform.chat.conversation.Membership;
import io.chatplatform.chat.presence.Presence;
import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.chat.lifecycle.MessageMetas;
import io.chatplatform.chat.media.Uploads;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.ReplyTo;
import io.vertx.mutiny.redis.client.Request;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code send}: validate, check membership, then three Redis round trips: (1) claim the client id and take the
 * next seq in one script, pipelined with the lookup of where the members are connected; (2) append to the durable
 * log, pipelined with storing the ack for resends; (3) ack, and deliver to every device of every member except
 * the sending connection (one inbox append per other instance). The ack is sent only once the log append is
 * confirmed; see {@link SendDedup} for resends.
 */
@Singleton
public class SendHandler implements FrameHandler {

    /** A pending claim younger than this may still be in progress: a resend waits (CONFLICT) rather than publish twice. */
    private static final long RESEND_GRACE_MILLIS = 2_000;

    private final Membership membership;
    private final ConversationCounters counters;
    private final Presence presence;
    private final SendDedup dedup;
    private final MessageLog log;
    private final MessagePublisher publisher;
    private final Desk desk;
    private final MessageReferences references;
    private final MessageMetas metas;
    private final Uploads uploads;
    private final int maxBodyChars;
    private final Counter received;

    public SendHandler(Membership membership, ConversationCounters counters, Presence presence, SendDedup dedup,
            MessageLog log, MessagePublisher publisher, Desk desk, MessageReferences references, MessageMetas metas,
            Uploads uploads, ChatConfig config, MeterRegistry metrics) {
        this.uploads = uploads;
        this.desk = desk;
        this.references = references;
        this.metas = metas;
        this.membership = membership;
        this.counters = counters;
        this.presence = presence;
        this.dedup = dedup;
        this.log = log;
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
        SendRequest parsed = SendRequest.from(frame, connection.uid(), maxBodyChars);
        long sender = connection.uid();
        return membership.sendableMembersFor(sender, parsed.conv()).flatMap(members -> withUpload(sender, parsed)
                .flatMap(attached -> references.resolve(sender, attached, members))
                .flatMap(resolved -> {
            SendRequest message = resolved.message();
            ReplyTo replyTo = resolved.replyTo();
            String dedupKey = SendDedup.key(message.conv(), sender, message.cid());
            String msgId = publisher.newMessageId();
            long ts = System.currentTimeMillis();
            return counters.claimThenNextSeq(message.conv().value(), sender, dedupKey, SendDedup.pending(msgId, ts), dedup.ttl(),
                            presence.lookups(members))
                    .flatMap(claim -> {
                        if (claim.claimed()) {
                            return publish(connection, frame.id(), message, replyTo, members, dedupKey, msgId, claim.seq(), ts, claim);
                        }
                        Optional<SendDedup.Pending> pending = SendDedup.pendingOf(claim.previous());
                        if (pending.isEmpty()) {
                            connection.send(ServerFrames.ackAgain(claim.previous(), frame.id()));
                            return Uni.createFrom().voidItem();
                        }
                        SendDedup.Pending first = pending.get();
                        if (System.currentTimeMillis() - first.ts() < RESEND_GRACE_MILLIS) {
                            throw new FrameException(ErrorCode.CONFLICT, "a send with this cid is still in progress; retry");
                        }
                        // the first attempt's append failed, lost its reply or died with its instance: the same message again
                        return publish(connection, frame.id(), message, replyTo, members, dedupKey, first.msgId(), first.seq(),
                                first.ts(), claim);
                    });
        }));
    }

    private Uni<SendRequest> withUpload(long sender, SendRequest message) {
        if (!message.namesUpload()) {
            return Uni.createFrom().item(message);
        }
        return uploads.attach(sender, message.media().id())
                .map(media -> message.withContent(message.kind(), message.body(), media));
    }

    private Uni<Void> publish(ClientConnection connection, String frameId, SendRequest message, ReplyTo replyTo,
            List<Long> members, String dedupKey, String msgId, long seq, long ts, ConversationCounters.Claim claim) {
        MessageEvent event = publisher.event(message.conv(), msgId, seq, ts, connection.uid(), connection.deviceId(), MessageEvent.USER,
                message.kind(), message.body(), message.media(), members, replyTo, message.mentions(), message.forwardOf());
        ServerFrames.Ack ack = ServerFrames.Ack.of(frameId, event.msgId(), event.conv(), event.seq(), event.ts());
        List<Request> alongside = new ArrayList<>(3);
        alongside.add(dedup.complete(dedupKey, ServerFrames.json(ack.withId(null))));
        alongside.addAll(metas.remember(event)); // the record edits, recalls and reactions are checked against
        // on failure the claim stays pending: a resend publishes this same message (same id and seq) again
        return log.append(event, alongside)
                .onFailure().transform(e -> new FrameException(ErrorCode.UNAVAILABLE, "message store unavailable; resend"))
                .flatMap(logged -> {
                    received.increment();
                    connection.send(ServerFrames.json(ack));
                    desk.messageSent(message.conv(), connection.uid(), ts);
                    return presence.remoteInstancesOf(members, claim.alongside())
                            .flatMap(remote -> publisher.deliver(event, members, connection.id(), remote));
                });
    }

}

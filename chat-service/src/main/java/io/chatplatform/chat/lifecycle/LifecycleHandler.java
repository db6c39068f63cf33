package io.chatplatform.chat.lifecycle;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.conversation.GroupAdmins;
import io.chatplatform.chat.conversation.Membership;
import io.chatplatform.chat.delivery.Delivery;
import io.chatplatform.chat.delivery.Router;
import io.chatplatform.chat.desk.DeskTickets;
import io.chatplatform.chat.log.MessageLog;
import io.chatplatform.chat.message.ConversationCounters;
import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.protocol.ServerFrames;
import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.UpdateEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code edit}, {@code recall}, {@code react} and {@code hide}: check the rules against the message's record
 * ({@link MessageMetas}), take the update's own seq (hide has none), append the update to the log (with the record's
 * change in the same pipeline), and only then ack {@code {id, conv, seq, msgId}} and fan out an {@code update} frame to
 * every device of every member but the sending connection ({@code hide}: only to my other devices).
 *
 * <p>Rules: edit — the sender, text messages, within {@code chat.edit-window}; recall — the sender within
 * {@code chat.recall-window}, a group's owner or admins or the agent serving a consultation at any time (recalling a
 * message again that I recalled re-acks the first recall: a lost ack is safe to resend); react — any member, at most
 * {@value MessageMetas#MAX_EMOJI} distinct emoji per message; hide — any member. Nothing changes a recalled message.
 */
@Singleton
public class LifecycleHandler implements FrameHandler {

    private static final Pattern EMOJI = Pattern.compile("[^\\s\\p{Cntrl}.$]{1,16}");

    private final Membership membership;
    private final MessageMetas metas;
    private final ConversationCounters counters;
    private final MessageLog log;
    private final Router router;
    private final GroupAdmins admins;
    private final DeskTickets tickets;
    private final Duration editWindow;
    private final Duration recallWindow;
    private final int maxBodyChars;
    private final MeterRegistry metrics;

    public LifecycleHandler(Membership membership, MessageMetas metas, ConversationCounters counters, MessageLog log,
            Router router, GroupAdmins admins, DeskTickets tickets, ChatConfig config, MeterRegistry metrics) {
        this.membership = membership;
        this.metas = metas;
        this.counters = counters;
        this.log = log;
        this.router = router;
        this.admins = admins;
        this.tickets = tickets;
        this.editWindow = config.editWindow();
        this.recallWindow = config.recallWindow();
        this.maxBodyChars = config.limits().maxBodyChars();
        this.metrics = metrics;
    }

    @Override
    public Set<String> types() {
        return Set.of("edit", "recall", "react", "hide");
    }

    @Override
    public Uni<Void> handle(ClientConnection connection, ClientFrame frame) {
        ConversationId conv = ConversationId.parse(frame.requiredString("conv", 48))
                .orElseThrow(() -> FrameException.invalid("'conv' is not a conversation id"));
        String msgId = frame.requiredToken("msgId");
        long uid = connection.uid();
        return switch (frame.type()) {
            case "edit" -> {
                String body = frame.requiredString("body", maxBodyChars);
                if (body.isBlank()) {
                    throw FrameException.invalid("'body' must not be blank");
                }
                yield membership.sendableMembersFor(uid, conv).flatMap(members -> known(conv, msgId).flatMap(meta -> {
                    if (meta.from() != uid || !MessageEvent.USER.equals(meta.senderType())) {
                        throw forbidden("only its sender may edit a message");
                    }
                    refuseRecalled(meta);
                    if (!"text".equals(meta.kind())) {
                        throw forbidden("only text messages can be edited");
                    }
                    if (System.currentTimeMillis() - meta.ts() > editWindow.toMillis()) {
                        throw forbidden("the edit window (" + editWindow.toHours() + " h) of this message is closed");
                    }
                    return publish(connection, frame.id(), conv, msgId, UpdateEvent.EDIT, body, null, members,
                            seq -> List.of(metas.edited(conv.value(), msgId, body)));
                }));
            }
            case "recall" -> membership.membersFor(uid, conv).flatMap(members -> known(conv, msgId).flatMap(meta -> {
                if (meta.recalled()) {
                    if (meta.recalledBy() == uid) { // a resend after a lost ack: the same answer, nothing new
                        connection.send(ServerFrames.json(ServerFrames.Ack.of(frame.id(), msgId, conv.value(),
                                meta.recalledSeq(), meta.ts())));
                        return Uni.createFrom().voidItem();
                    }
                    refuseRecalled(meta);
                }
                boolean ownInWindow = meta.from() == uid && MessageEvent.USER.equals(meta.senderType())
                        && System.currentTimeMillis() - meta.ts() <= recallWindow.toMillis();
                Uni<Boolean> allowed = ownInWindow ? Uni.createFrom().item(true) : mayRecallAnyMessage(uid, conv);
                return allowed.flatMap(ok -> {
                    if (!ok) {
                        throw forbidden(meta.from() == uid
                                ? "the recall window (" + recallWindow.toSeconds() + " s) of this message is closed"
                                : "only its sender, a group admin or the serving agent may recall a message");
                    }
                    return publish(connection, frame.id(), conv, msgId, UpdateEvent.RECALL, null, null, members,
                            seq -> metas.recalled(conv.value(), msgId, uid, seq));
                });
            }));
            case "react" -> {
                String emoji = frame.requiredString("emoji", 16);
                if (!EMOJI.matcher(emoji).matches()) {
                    throw FrameException.invalid("'emoji' must be 1-16 characters without spaces, '.' or '$'");
                }
                boolean on = on(frame);
                yield membership.sendableMembersFor(uid, conv).flatMap(members -> metas.react(conv.value(), msgId, emoji, uid, on)
                        .flatMap(outcome -> switch (outcome) {
                            case "NOT_FOUND" -> Uni.createFrom().failure(notFound(conv, msgId));
                            case "RECALLED" -> Uni.createFrom().failure(forbidden("the message was recalled"));
                            case "FULL" -> Uni.createFrom().failure(forbidden("a message takes at most "
                                    + MessageMetas.MAX_EMOJI + " different emoji"));
                            // SAME too is published: it may be the resend of a change whose append failed
                            default -> publish(connection, frame.id(), conv, msgId, on ? UpdateEvent.REACT : UpdateEvent.UNREACT,
                                    null, emoji, members, seq -> List.of());
                        }));
            }
            case "hide" -> membership.membersFor(uid, conv).flatMap(members -> known(conv, msgId).flatMap(meta -> {
                UpdateEvent event = UpdateEvent.of(conv.value(), null, msgId, UpdateEvent.HIDE, uid, connection.deviceId(),
                        System.currentTimeMillis(), null, null);
                return log.append(event).onFailure().transform(LifecycleHandler::unavailable).flatMap(logged -> {
                    count(event);
                    connection.send(ServerFrames.json(new ServerFrames.Ack("ack", frame.id(), msgId, conv.value(), null, event.ts())));
                    return router.route(new Delivery(ServerFrames.update(event), List.of(uid), connection.id(), event.ts()));
                });
            }));
            default -> throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + frame.type() + "'");
        };
    }

    private Uni<Void> publish(ClientConnection connection, String frameId, ConversationId conv, String msgId, String op,
            String body, String emoji, List<Long> members, java.util.function.LongFunction<List<Request>> alongside) {
        return counters.nextUpdateSeq(conv.value()).flatMap(seq -> {
            UpdateEvent event = UpdateEvent.of(conv.value(), seq, msgId, op, connection.uid(), connection.deviceId(),
                    System.currentTimeMillis(), body, emoji);
            return log.append(event, alongside.apply(seq)).onFailure().transform(LifecycleHandler::unavailable)
                    .flatMap(logged -> {
                        count(event);
                        connection.send(ServerFrames.json(ServerFrames.Ack.of(frameId, msgId, conv.value(), seq, event.ts())));
                        return router.route(new Delivery(ServerFrames.update(event), members, connection.id(), event.ts()));
                    });
        });
    }

    /** A group's owner or admins, or the agent serving a consultation, may recall any of its messages. */
    private Uni<Boolean> mayRecallAnyMessage(long uid, ConversationId conv) {
        return switch (conv.kind()) {
            case GROUP -> admins.isAdmin(conv.number(), uid);
            case DESK -> tickets.get(conv.number()).map(ticket -> ticket != null && ticket.agent() != null && ticket.agent() == uid);
            case DIRECT -> Uni.createFrom().item(false);
        };
    }

    private Uni<MessageMeta> known(ConversationId conv, String msgId) {
        return metas.get(conv.value(), msgId).map(meta -> {
            if (meta == null) {
                throw notFound(conv, msgId);
            }
            return meta;
        });
    }

    private void count(UpdateEvent event) {
        metrics.counter("chat.updates.published", "op", event.op()).increment();
    }

    private static boolean on(ClientFrame frame) {
        var node = frame.raw("on");
        if (node == null || node.isNull()) {
            return true;
        }
        if (!node.isBoolean()) {
            throw FrameException.invalid("'on' must be true or false");
        }
        return node.asBoolean();
    }

    private static void refuseRecalled(MessageMeta meta) {
        if (meta.recalled()) {
            throw forbidden("the message was recalled");
        }
    }

    private static FrameException forbidden(String message) {
        return new FrameException(ErrorCode.FORBIDDEN, message);
    }

    static FrameException notFound(ConversationId conv, String msgId) {
        return new FrameException(ErrorCode.NOT_FOUND, "no message " + msgId + " in " + conv
                + " (or it is older than chat keeps records of changeable messages)");
    }

    private static Throwable unavailable(Throwable e) {
        return e instanceof FrameException ? e : new FrameException(ErrorCode.UNAVAILABLE, "message store unavailable; resend");
    }
}

package io.chatplatform.chat.message;

import io.chatplatform.chat.conversation.GroupAdmins;
import io.chatplatform.chat.conversation.Membership;
import io.chatplatform.chat.lifecycle.MessageMeta;
import io.chatplatform.chat.lifecycle.MessageMetas;
import io.chatplatform.chat.media.Uploads;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.Mentions;
import io.chatplatform.common.event.ReplyTo;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The optional parts of a {@code send} that point elsewhere, checked before the seq is taken (a plain send skips all of
 * it): {@code replyTo} must be a message of the same conversation chat knows ({@code INVALID_FIELD} otherwise) and
 * becomes {@code {msgId, seq, from, kind, preview}}; {@code mentions} must name members ({@code INVALID_FIELD}), and
 * {@code ["all"]} is for a group's owner and admins ({@code FORBIDDEN}); {@code forwardOf} must be a message the
 * sender may read and that is not recalled ({@code NOT_FOUND}), whose kind, body and media are copied (an upload's URLs signed afresh; its members may then open the file,
 * as history-service lets members of any conversation holding it read it).
 */
@Singleton
class MessageReferences {

    private final MessageMetas metas;
    private final Membership membership;
    private final GroupAdmins admins;
    private final Uploads uploads;

    MessageReferences(MessageMetas metas, Membership membership, GroupAdmins admins, Uploads uploads) {
        this.uploads = uploads;
        this.metas = metas;
        this.membership = membership;
        this.admins = admins;
    }

    record Resolved(SendRequest message, ReplyTo replyTo) {
    }

    Uni<Resolved> resolve(long sender, SendRequest message, List<Long> members) {
        if (message.plain()) {
            return Uni.createFrom().item(new Resolved(message, null));
        }
        return forwarded(sender, message)
                .flatMap(content -> checkMentions(sender, content, members).replaceWith(content))
                .flatMap(content -> replyTo(content).map(reply -> new Resolved(content, reply)));
    }

    private Uni<SendRequest> forwarded(long sender, SendRequest message) {
        if (message.forwardOf() == null) {
            return Uni.createFrom().item(message);
        }
        String source = message.forwardOf().conv();
        String msgId = message.forwardOf().msgId();
        ConversationId sourceConv = ConversationId.parse(source).orElseThrow();
        FrameException unreadable = new FrameException(ErrorCode.NOT_FOUND, "no message " + msgId + " in " + source
                + " that you may forward");
        return membership.membersFor(sender, sourceConv)
                .onFailure(FrameException.class).transform(e -> unreadable)
                .flatMap(ignored -> metas.get(source, msgId))
                .map(meta -> {
                    if (meta == null || meta.recalled() || !MessageEvent.USER.equals(meta.senderType())) {
                        throw unreadable;
                    }
                    return message.withContent(meta.kind(), meta.body(), uploads.fresh(meta.media()));
                });
    }

    private Uni<Void> checkMentions(long sender, SendRequest message, List<Long> members) {
        Mentions mentions = message.mentions();
        if (mentions == null) {
            return Uni.createFrom().voidItem();
        }
        if (mentions.all()) {
            if (message.conv().kind() != ConversationId.Kind.GROUP) {
                throw FrameException.invalid("'mentions': [\"all\"] is for groups");
            }
            return admins.isAdmin(message.conv().number(), sender).map(admin -> {
                if (!admin) {
                    throw new FrameException(ErrorCode.FORBIDDEN, "only the group's owner and admins may mention all");
                }
                return null;
            });
        }
        for (long uid : mentions.uids()) {
            if (!members.contains(uid)) {
                throw FrameException.invalid("'mentions': " + uid + " is not a member of " + message.conv());
            }
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<ReplyTo> replyTo(SendRequest message) {
        if (message.replyTo() == null) {
            return Uni.createFrom().nullItem();
        }
        return metas.get(message.conv().value(), message.replyTo()).map((MessageMeta meta) -> {
            if (meta == null) {
                throw FrameException.invalid("'replyTo' " + message.replyTo() + " is not a message of " + message.conv());
            }
            if (meta.recalled()) {
                throw new FrameException(ErrorCode.FORBIDDEN, "'replyTo' " + message.replyTo() + " was recalled");
            }
            return new ReplyTo(meta.msgId(), meta.seq(), meta.from(), meta.kind(), ReplyTo.previewOf(meta.body()));
        });
    }
}

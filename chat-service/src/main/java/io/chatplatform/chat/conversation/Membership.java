package io.chatplatform.chat.conversation;

import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.session.GroupKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Who belongs to a conversation, and whether the caller may use it. Direct members come from the id; group
 * members from the Redis mirror {@code group:{gid}:members} that auth-service maintains.
 */
@ApplicationScoped
public class Membership {

    private final ReactiveSetCommands<String, Long> sets;

    public Membership(ReactiveRedisDataSource redis) {
        this.sets = redis.set(Long.class);
    }

    /** The members of {@code conv}, failing with NOT_FOUND / FORBIDDEN unless {@code uid} is one of them. */
    public Uni<List<Long>> membersFor(long uid, ConversationId conv) {
        return switch (conv.kind()) {
            case DIRECT -> {
                List<Long> members = conv.directMembers();
                if (!members.contains(uid)) {
                    yield Uni.createFrom().failure(notFound(conv));
                }
                yield Uni.createFrom().item(members);
            }
            case GROUP -> sets.smembers(GroupKeys.members(conv.number())).map(members -> {
                if (members.isEmpty()) {
                    throw notFound(conv);
                }
                if (!members.contains(uid)) {
                    throw new FrameException(ErrorCode.FORBIDDEN, "you are not a member of " + conv);
                }
                return List.copyOf(members);
            });
            case DESK -> Uni.createFrom().failure(notFound(conv));
        };
    }

    private static FrameException notFound(ConversationId conv) {
        return new FrameException(ErrorCode.NOT_FOUND, "no conversation " + conv);
    }
}

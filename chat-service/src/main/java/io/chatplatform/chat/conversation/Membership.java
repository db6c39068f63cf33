package io.chatplatform.chat.conversation;

import io.chatplatform.chat.desk.DeskTickets;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.common.conversation.ConversationId;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Who belongs to a conversation, and whether the caller may use it. Direct members come from the id, and the other one
 * must exist ({@link ExistingUsers}, so nothing is created for an id nobody has); group
 * members from the Redis mirror {@code group:{gid}:members} that auth-service maintains ({@link GroupMirrors}, which has
 * it rebuilt when Redis lost it); a desk ticket's from
 * the ticket (its customer and the agent serving now).
 */
@Singleton
public class Membership {

    private final GroupMirrors groups;
    private final ExistingUsers users;
    private final DeskTickets tickets;
    private final BlockMirrors blocks;

    public Membership(GroupMirrors groups, ExistingUsers users, DeskTickets tickets, BlockMirrors blocks) {
        this.groups = groups;
        this.blocks = blocks;
        this.users = users;
        this.tickets = tickets;
    }

    /** The members of {@code conv}, failing with NOT_FOUND / FORBIDDEN unless {@code uid} is one of them. */
    public Uni<List<Long>> membersFor(long uid, ConversationId conv) {
        return access(uid, conv).map(Access::members);
    }

    /**
     * As {@link #membersFor}, and {@code uid} must be allowed to send there now: FORBIDDEN for a closed ticket, a direct
     * chat with someone who blocked {@code uid}, a dissolved group, or a group in only-admins-send mode for a member
     * who is neither its owner nor an admin.
     */
    public Uni<List<Long>> sendableMembersFor(long uid, ConversationId conv) {
        return access(uid, conv).flatMap(access -> {
            if (access.closed()) {
                throw new FrameException(ErrorCode.FORBIDDEN, conv + " is closed");
            }
            return switch (conv.kind()) {
                case DIRECT -> {
                    long other = access.members().get(0) == uid ? access.members().get(1) : access.members().get(0);
                    yield other == uid ? Uni.createFrom().item(access.members())
                            : blocks.blocked(other, uid).map(blocked -> {
                                if (blocked) {
                                    throw new FrameException(ErrorCode.FORBIDDEN, "user " + other + " does not accept your messages");
                                }
                                return access.members();
                            });
                }
                case GROUP -> groups.sendRule(conv.number(), uid).map(rule -> switch (rule) {
                    case DISSOLVED -> throw new FrameException(ErrorCode.FORBIDDEN, conv + " was dissolved");
                    case ADMINS_ONLY -> throw new FrameException(ErrorCode.FORBIDDEN,
                            "only the owner and admins may send in " + conv);
                    case ALLOWED -> access.members();
                });
                case DESK -> Uni.createFrom().item(access.members());
            };
        });
    }

    private Uni<Access> access(long uid, ConversationId conv) {
        return switch (conv.kind()) {
            case DIRECT -> {
                List<Long> members = conv.directMembers();
                if (!members.contains(uid)) {
                    yield Uni.createFrom().failure(notFound(conv));
                }
                long other = members.get(0) == uid ? members.get(1) : members.get(0);
                yield users.exists(other).map(exists -> {
                    if (!exists) {
                        throw new FrameException(ErrorCode.NOT_FOUND, "no user " + other + ": no conversation " + conv);
                    }
                    return new Access(members, false);
                });
            }
            case GROUP -> groups.members(conv.number()).map(members -> {
                if (members.isEmpty()) {
                    throw notFound(conv);
                }
                if (!members.contains(uid)) {
                    throw new FrameException(ErrorCode.FORBIDDEN, "you are not a member of " + conv);
                }
                return new Access(List.copyOf(members), false);
            });
            case DESK -> tickets.get(conv.number()).map(ticket -> {
                if (ticket == null || !ticket.members().contains(uid)) {
                    throw notFound(conv);
                }
                return new Access(ticket.members(), ticket.isClosed());
            });
        };
    }

    private static FrameException notFound(ConversationId conv) {
        return new FrameException(ErrorCode.NOT_FOUND, "no conversation " + conv);
    }

    private record Access(List<Long> members, boolean closed) {
    }
}

package io.chatplatform.auth.group;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.auth.user.User;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Group rules: the creator owns the group and is a member; the owner (or an admin) adds and removes
 * members; any member may leave, except the owner; non-members cannot tell a group exists (404).
 *
 * <p>A membership change locks the group's row, changes MySQL and writes the Redis mirror before it commits: when
 * Redis cannot be written the transaction rolls back and the answer is 503 (nothing changed, repeat the request).
 * A removal of someone who is no longer a member (e.g. the retry of a request whose answer was lost) first rewrites
 * the group's mirror from MySQL, then answers 404; an add of members already in the group rewrites it and answers 200.
 */
@ApplicationScoped
public class Groups {

    private final GroupMirror mirror;
    private final MirrorRebuild rebuild;
    private final int maxMembers;

    public Groups(GroupMirror mirror, MirrorRebuild rebuild, AuthConfig config) {
        this.mirror = mirror;
        this.rebuild = rebuild;
        this.maxMembers = config.maxGroupMembers();
    }

    public GroupView create(AuthenticatedDevice caller, String name, List<Long> members) {
        String groupName = validName(name);
        Set<Long> all = new LinkedHashSet<>();
        all.add(caller.uid());
        if (members != null) {
            all.addAll(members);
        }
        GroupView created = QuarkusTransaction.requiringNew().call(() -> {
            requireUsersExist(all);
            requireSize(all.size());
            ChatGroup group = new ChatGroup();
            group.name = groupName;
            group.ownerId = caller.uid();
            group.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            group.members.addAll(all);
            group.persistAndFlush();
            mirror.write(group.id, List.of(), group.members);
            return GroupView.of(group);
        });
        return created;
    }

    public GroupView get(AuthenticatedDevice caller, long groupId) {
        return QuarkusTransaction.requiringNew().call(() -> GroupView.of(visible(caller, groupId)));
    }

    public List<GroupView> mine(AuthenticatedDevice caller) {
        return QuarkusTransaction.requiringNew().call(() -> ChatGroup.ofMember(caller.uid()).stream().map(GroupView::of).toList());
    }

    public GroupView addMembers(AuthenticatedDevice caller, long groupId, List<Long> members) {
        if (members == null || members.isEmpty()) {
            throw ApiException.invalid("members must list at least one user id");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatGroup group = visibleForUpdate(caller, groupId);
            Set<Long> before = new HashSet<>(group.members);
            requireManager(caller, group);
            requireUsersExist(members);
            Set<Long> after = new HashSet<>(group.members);
            after.addAll(members);
            requireSize(after.size());
            group.members.addAll(members);
            ChatGroup.flush();
            // also when nothing was new: the retry of an add whose mirror write failed heals the mirror
            mirror.write(groupId, before, group.members);
            return GroupView.of(group);
        });
    }

    public GroupView removeMember(AuthenticatedDevice caller, long groupId, long uid) {
        boolean[] alreadyGone = {false};
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                ChatGroup.lock(groupId);
                ChatGroup group = ChatGroup.findById(groupId);
                if (group != null && !group.members.contains(uid) && group.ownerId != uid) {
                    alreadyGone[0] = true; // e.g. a removal that went through, whose answer was lost
                }
                requireVisible(caller, group);
                Set<Long> before = new HashSet<>(group.members);
                if (uid != caller.uid()) {
                    requireManager(caller, group);
                }
                if (uid == group.ownerId) {
                    throw ApiException.conflict("the owner cannot leave the group");
                }
                if (!group.members.remove(uid)) {
                    throw ApiException.notFound("user " + uid + " is not a member");
                }
                ChatGroup.flush();
                mirror.write(groupId, before, group.members);
                return GroupView.of(group);
            });
        } catch (ApiException e) {
            if (alreadyGone[0] && e.status() == 404) {
                // the mirror may still list the member (an earlier write failed): rewrite it from MySQL first
                healMirror(groupId);
            }
            throw e;
        }
    }

    private void healMirror(long groupId) {
        try {
            rebuild.group(groupId);
        } catch (RuntimeException e) {
            throw new RedisUnavailable("chat could not be updated; repeat the request");
        }
    }

    private static ChatGroup visible(AuthenticatedDevice caller, long groupId) {
        ChatGroup group = ChatGroup.findById(groupId);
        requireVisible(caller, group);
        return group;
    }

    /** {@link #visible} with the group's row locked until the transaction ends (membership changes, rebuilds). */
    private static ChatGroup visibleForUpdate(AuthenticatedDevice caller, long groupId) {
        ChatGroup.lock(groupId);
        ChatGroup group = ChatGroup.findById(groupId);
        requireVisible(caller, group);
        return group;
    }

    private static void requireVisible(AuthenticatedDevice caller, ChatGroup group) {
        if (group == null || !(group.members.contains(caller.uid()) || caller.hasRole("ADMIN"))) {
            throw ApiException.notFound("no such group");
        }
    }

    private static void requireManager(AuthenticatedDevice caller, ChatGroup group) {
        if (group.ownerId != caller.uid() && !caller.hasRole("ADMIN")) {
            throw ApiException.forbidden("only the group owner manages members");
        }
    }

    private void requireSize(int size) {
        if (size > maxMembers) {
            throw ApiException.invalid("a group has at most " + maxMembers + " members");
        }
    }

    private static void requireUsersExist(Collection<Long> uids) {
        Set<Long> wanted = new HashSet<>(uids);
        if (wanted.contains(null)) {
            throw ApiException.invalid("members must be user ids");
        }
        long found = User.count("id in ?1", wanted);
        if (found != wanted.size()) {
            throw ApiException.invalid("members contains unknown user ids");
        }
    }

    private static String validName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 64 || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("name must be 1-64 printable characters");
        }
        return trimmed;
    }
}

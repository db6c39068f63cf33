package io.chatplatform.auth.group;

import io.chatplatform.auth.config.AuthConfig;
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
 */
@ApplicationScoped
public class Groups {

    private final GroupMirror mirror;
    private final int maxMembers;

    public Groups(GroupMirror mirror, AuthConfig config) {
        this.mirror = mirror;
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
            return GroupView.of(group);
        });
        mirror.write(created.id(), List.of(), created.members());
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
        Set<Long> before = new HashSet<>();
        GroupView updated = QuarkusTransaction.requiringNew().call(() -> {
            ChatGroup group = visible(caller, groupId);
            before.addAll(group.members);
            requireManager(caller, group);
            requireUsersExist(members);
            Set<Long> after = new HashSet<>(group.members);
            after.addAll(members);
            requireSize(after.size());
            group.members.addAll(members);
            return GroupView.of(group);
        });
        mirror.write(groupId, before, updated.members());
        return updated;
    }

    public GroupView removeMember(AuthenticatedDevice caller, long groupId, long uid) {
        Set<Long> before = new HashSet<>();
        GroupView updated = QuarkusTransaction.requiringNew().call(() -> {
            ChatGroup group = visible(caller, groupId);
            before.addAll(group.members);
            if (uid != caller.uid()) {
                requireManager(caller, group);
            }
            if (uid == group.ownerId) {
                throw ApiException.conflict("the owner cannot leave the group");
            }
            if (!group.members.remove(uid)) {
                throw ApiException.notFound("user " + uid + " is not a member");
            }
            return GroupView.of(group);
        });
        mirror.write(groupId, before, updated.members());
        return updated;
    }

    private static ChatGroup visible(AuthenticatedDevice caller, long groupId) {
        ChatGroup group = ChatGroup.findById(groupId);
        if (group == null || !(group.members.contains(caller.uid()) || caller.hasRole("ADMIN"))) {
            throw ApiException.notFound("no such group");
        }
        return group;
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

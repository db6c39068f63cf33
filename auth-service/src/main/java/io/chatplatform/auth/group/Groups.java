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
import java.util.stream.Collectors;

/**
 * Group rules. Roles: the owner (the creator, {@code chat_groups.owner_id}), admins and members. Owner and admins add
 * members, remove plain members, rename the group, set its announcement and only-admins-send mode; only the owner
 * promotes and demotes admins, removes admins, hands the group over and dissolves it. A platform {@code ADMIN} may do
 * what the owner may (moderation). Any member may leave, except the owner (who hands over or dissolves first).
 * Non-members cannot tell a group exists (404). A dissolved group accepts no change (409 GROUP_DISSOLVED); its members
 * still see it and its history.
 *
 * <p>A change locks the group's row, changes MySQL, writes the Redis mirror (members, owner and admins, settings) and
 * appends its {@link GroupNotices notice} before it commits: when Redis cannot be written the transaction rolls back
 * and the answer is 503 (nothing changed, repeat the request). A removal of someone who is no longer a member (e.g. the
 * retry of a request whose answer was lost) first rewrites the group's mirror from MySQL, then answers 404; an add of
 * members already in the group rewrites it and answers 200.
 */
@ApplicationScoped
public class Groups {

    public static final String ADMIN = "admin";
    public static final String MEMBER = "member";
    private static final int MAX_ANNOUNCEMENT = 1000;

    private final GroupMirror mirror;
    private final MirrorRebuild rebuild;
    private final GroupNotices notices;
    private final int maxMembers;

    public Groups(GroupMirror mirror, MirrorRebuild rebuild, GroupNotices notices, AuthConfig config) {
        this.mirror = mirror;
        this.rebuild = rebuild;
        this.notices = notices;
        this.maxMembers = config.maxGroupMembers();
    }

    public GroupView create(AuthenticatedDevice caller, String name, List<Long> members) {
        String groupName = validName(name);
        Set<Long> all = new LinkedHashSet<>();
        all.add(caller.uid());
        if (members != null) {
            all.addAll(members);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            requireUsersExist(all);
            requireSize(all.size());
            ChatGroup group = new ChatGroup();
            group.name = groupName;
            group.ownerId = caller.uid();
            group.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            group.members.addAll(all);
            group.persistAndFlush();
            mirror.write(group.id, List.of(), group.members, GroupRules.of(group, Set.of()));
            notices.post(group.id, caller.uid(), "created",
                    GroupNotices.name(caller.uid()) + " created the group \"" + groupName + "\"");
            return GroupView.of(group, Set.of());
        });
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
            ChatGroup group = changeable(caller, groupId);
            Set<Long> admins = ChatGroup.admins(groupId);
            requireOwnerOrAdmin(caller, group, admins, "add members");
            requireUsersExist(members);
            Set<Long> before = new HashSet<>(group.members);
            Set<Long> added = new LinkedHashSet<>(members);
            added.removeAll(before);
            Set<Long> after = new HashSet<>(before);
            after.addAll(members);
            requireSize(after.size());
            group.members.addAll(members);
            ChatGroup.flush();
            // also when nothing was new: the retry of an add whose mirror write failed heals the mirror
            mirror.write(groupId, before, group.members, GroupRules.of(group, admins));
            if (!added.isEmpty()) {
                notices.post(groupId, caller.uid(), "members-added", GroupNotices.name(caller.uid()) + " added "
                        + added.stream().map(GroupNotices::name).collect(Collectors.joining(", ")));
            }
            return GroupView.of(group, admins);
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
                requireNotDissolved(group);
                Set<Long> admins = ChatGroup.admins(groupId);
                Set<Long> before = new HashSet<>(group.members);
                if (uid != caller.uid()) {
                    requireOwnerOrAdmin(caller, group, admins, "remove members");
                    if (admins.contains(uid)) {
                        requireOwner(caller, group, "remove an admin");
                    }
                }
                if (uid == group.ownerId) {
                    throw ApiException.conflict("the owner cannot leave the group; hand it over or dissolve it first");
                }
                if (!group.members.remove(uid)) {
                    throw ApiException.notFound("user " + uid + " is not a member");
                }
                ChatGroup.flush();
                admins.remove(uid);
                mirror.write(groupId, before, group.members, GroupRules.of(group, admins));
                if (uid == caller.uid()) {
                    notices.post(groupId, uid, "member-left", GroupNotices.name(uid) + " left the group");
                } else {
                    notices.post(groupId, caller.uid(), "member-removed",
                            GroupNotices.name(caller.uid()) + " removed " + GroupNotices.name(uid));
                }
                return GroupView.of(group, admins);
            });
        } catch (ApiException e) {
            if (alreadyGone[0] && e.status() == 404) {
                // the mirror may still list the member (an earlier write failed): rewrite it from MySQL first
                healMirror(groupId);
            }
            throw e;
        }
    }

    /** Owner only: makes a member an {@code admin} or a plain {@code member} again. */
    public GroupView setRole(AuthenticatedDevice caller, long groupId, long uid, String role) {
        if (!ADMIN.equals(role) && !MEMBER.equals(role)) {
            throw ApiException.invalid("role must be admin or member (the owner changes with POST /groups/{id}/owner)");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatGroup group = changeable(caller, groupId);
            requireOwner(caller, group, "change roles");
            if (uid == group.ownerId) {
                throw ApiException.conflict("the owner's role changes only by handing the group over");
            }
            if (!group.members.contains(uid)) {
                throw ApiException.notFound("user " + uid + " is not a member");
            }
            Set<Long> admins = ChatGroup.admins(groupId);
            boolean changed = ADMIN.equals(role) ? admins.add(uid) : admins.remove(uid);
            ChatGroup.setRole(groupId, uid, role);
            mirror.write(groupId, group.members, group.members, GroupRules.of(group, admins));
            if (changed) {
                notices.post(groupId, caller.uid(), "role", GroupNotices.name(caller.uid())
                        + (ADMIN.equals(role) ? " made " + GroupNotices.name(uid) + " an admin"
                                : " made " + GroupNotices.name(uid) + " a member again"));
            }
            return GroupView.of(group, admins);
        });
    }

    /** Owner and admins: name, announcement ({@code ""} clears it), only-admins-send; fields left out stay. */
    public GroupView update(AuthenticatedDevice caller, long groupId, String name, String announcement, Boolean onlyAdminsSend) {
        if (name == null && announcement == null && onlyAdminsSend == null) {
            throw ApiException.invalid("body {name?, announcement?, onlyAdminsSend?} must change at least one field");
        }
        String newName = name == null ? null : validName(name);
        String newAnnouncement = announcement == null ? null : validAnnouncement(announcement);
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatGroup group = changeable(caller, groupId);
            Set<Long> admins = ChatGroup.admins(groupId);
            requireOwnerOrAdmin(caller, group, admins, "change the group's settings");
            String who = GroupNotices.name(caller.uid());
            if (newName != null && !newName.equals(group.name)) {
                group.name = newName;
                notices.post(groupId, caller.uid(), "renamed", who + " renamed the group to \"" + newName + "\"");
            }
            String stored = newAnnouncement == null || newAnnouncement.isEmpty() ? null : newAnnouncement;
            if (newAnnouncement != null && !java.util.Objects.equals(stored, group.announcement)) {
                group.announcement = stored;
                notices.post(groupId, caller.uid(), "announcement",
                        stored == null ? who + " removed the announcement" : who + " set the announcement: " + stored);
            }
            if (onlyAdminsSend != null && onlyAdminsSend != group.onlyAdminsSend) {
                group.onlyAdminsSend = onlyAdminsSend;
                notices.post(groupId, caller.uid(), "only-admins-send", onlyAdminsSend
                        ? who + " allowed only the owner and admins to send messages"
                        : who + " allowed everyone to send messages");
            }
            ChatGroup.flush();
            mirror.write(groupId, group.members, group.members, GroupRules.of(group, admins));
            return GroupView.of(group, admins);
        });
    }

    /** Owner only: hands the group to another member; the previous owner stays as an admin. */
    public GroupView transfer(AuthenticatedDevice caller, long groupId, Long uid) {
        if (uid == null) {
            throw ApiException.invalid("body {uid} is required");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatGroup group = changeable(caller, groupId);
            requireOwner(caller, group, "hand the group over");
            if (!group.members.contains(uid)) {
                throw ApiException.invalid("the new owner must be a member");
            }
            long previous = group.ownerId;
            if (previous != uid) {
                group.ownerId = uid;
                ChatGroup.flush();
                ChatGroup.setRole(groupId, previous, ADMIN);
                ChatGroup.setRole(groupId, uid, MEMBER);
            }
            Set<Long> admins = ChatGroup.admins(groupId);
            mirror.write(groupId, group.members, group.members, GroupRules.of(group, admins));
            if (previous != uid) {
                notices.post(groupId, caller.uid(), "owner",
                        GroupNotices.name(caller.uid()) + " made " + GroupNotices.name(uid) + " the owner");
            }
            return GroupView.of(group, admins);
        });
    }

    /** Owner only: no more messages or changes; members keep the group (read-only) and its history. */
    public void dissolve(AuthenticatedDevice caller, long groupId) {
        QuarkusTransaction.requiringNew().run(() -> {
            ChatGroup group = visibleForUpdate(caller, groupId);
            requireOwner(caller, group, "dissolve the group");
            if (group.dissolvedAt != null) {
                return; // the retry of a dissolution whose answer was lost
            }
            group.dissolvedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            ChatGroup.flush();
            Set<Long> admins = ChatGroup.admins(groupId);
            mirror.write(groupId, group.members, group.members, GroupRules.of(group, admins));
            notices.post(groupId, caller.uid(), "dissolved", GroupNotices.name(caller.uid()) + " dissolved the group");
        });
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

    /** Locked, visible and not dissolved. */
    private static ChatGroup changeable(AuthenticatedDevice caller, long groupId) {
        ChatGroup group = visibleForUpdate(caller, groupId);
        requireNotDissolved(group);
        return group;
    }

    private static void requireVisible(AuthenticatedDevice caller, ChatGroup group) {
        if (group == null || !(group.members.contains(caller.uid()) || caller.hasRole("ADMIN"))) {
            throw ApiException.notFound("no such group");
        }
    }

    private static void requireNotDissolved(ChatGroup group) {
        if (group.dissolvedAt != null) {
            throw new ApiException(409, "GROUP_DISSOLVED", "the group was dissolved");
        }
    }

    private static void requireOwner(AuthenticatedDevice caller, ChatGroup group, String what) {
        if (group.ownerId != caller.uid() && !caller.hasRole("ADMIN")) {
            throw ApiException.forbidden("only the group's owner may " + what);
        }
    }

    private static void requireOwnerOrAdmin(AuthenticatedDevice caller, ChatGroup group, Set<Long> admins, String what) {
        if (group.ownerId != caller.uid() && !admins.contains(caller.uid()) && !caller.hasRole("ADMIN")) {
            throw ApiException.forbidden("only the group's owner and admins may " + what);
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

    private static String validAnnouncement(String announcement) {
        String trimmed = announcement.strip();
        if (trimmed.length() > MAX_ANNOUNCEMENT
                || trimmed.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw ApiException.invalid("announcement must be at most " + MAX_ANNOUNCEMENT + " printable characters");
        }
        return trimmed;
    }
}

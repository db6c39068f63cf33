package io.chatplatform.auth.group;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** {@code admins}: the members with role admin (the owner is {@code owner}); {@code dissolved} only when true. */
@RegisterForReflection
public record GroupView(long id, String name, long owner, List<Long> members, Instant createdAt, List<Long> admins,
        String announcement, boolean onlyAdminsSend, Boolean dissolved) {

    static GroupView of(ChatGroup group, Set<Long> admins) {
        return new GroupView(group.id, group.name, group.ownerId, group.members.stream().sorted().toList(), group.createdAt,
                admins.stream().sorted().toList(), group.announcement, group.onlyAdminsSend,
                group.dissolvedAt != null ? Boolean.TRUE : null);
    }

    static GroupView of(ChatGroup group) {
        return of(group, ChatGroup.admins(group.id));
    }
}

package io.chatplatform.auth.group;

import java.util.Set;

/**
 * What chat needs besides the members to apply a group's send rules, mirrored with them: the owner and admins
 * ({@code group:{gid}:admins}), only-admins-send and dissolved ({@code group:{gid}:settings}).
 */
public record GroupRules(Set<Long> ownerAndAdmins, boolean onlyAdminsSend, boolean dissolved) {

    static GroupRules of(ChatGroup group, Set<Long> admins) {
        Set<Long> all = new java.util.LinkedHashSet<>();
        all.add(group.ownerId);
        all.addAll(admins);
        return new GroupRules(all, group.onlyAdminsSend, group.dissolvedAt != null);
    }
}

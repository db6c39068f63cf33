package io.chatplatform.chat.conversation;

import io.chatplatform.common.session.GroupKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * A group's owner and admins, from the mirror auth-service keeps in Redis ({@code group:{gid}:admins}, maintained from
 * the members' roles in MySQL). A missing mirror reads as "nobody": the privileged action is refused, never granted.
 */
@Singleton
public class GroupAdmins {

    private final ReactiveSetCommands<String, String> sets;

    public GroupAdmins(ReactiveRedisDataSource redis) {
        this.sets = redis.set(String.class);
    }

    /** Whether {@code uid} is the owner or an admin of group {@code gid}. */
    public Uni<Boolean> isAdmin(long gid, long uid) {
        return sets.sismember(GroupKeys.admins(gid), Long.toString(uid));
    }
}

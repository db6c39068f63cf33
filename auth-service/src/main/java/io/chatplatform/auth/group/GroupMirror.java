package io.chatplatform.auth.group;

import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.GroupKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.set.SetCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Mirrors group membership into Redis, where chat and history read it: {@code group:{gid}:members} (who is
 * in a group) and its reverse {@code user:{uid}:groups} (which groups a user is in). The members set is
 * rewritten atomically on every change, so a later change heals an earlier failed write; the reverse sets
 * live in other cluster slots, so they are updated one by one, never in one transaction.
 */
@ApplicationScoped
public class GroupMirror {

    private static final Logger LOG = Logger.getLogger(GroupMirror.class);

    private final RedisDataSource redis;
    private final SetCommands<String, String> sets;

    public GroupMirror(RedisDataSource redis) {
        this.redis = redis;
        this.sets = redis.set(String.class);
    }

    /** Writes the group's members; {@code before} are the members it had (empty for a new group). */
    public void write(long groupId, Collection<Long> before, Collection<Long> after) {
        String key = GroupKeys.members(groupId);
        String[] uids = after.stream().map(String::valueOf).toArray(String[]::new);
        Set<Long> left = new HashSet<>(before);
        left.removeAll(after);
        try {
            redis.withTransaction(tx -> {
                tx.key().del(key);
                if (uids.length > 0) {
                    tx.set(String.class).sadd(key, uids);
                }
            });
            for (Long uid : after) {
                sets.sadd(GroupKeys.groupsOf(uid), String.valueOf(groupId));
            }
            for (Long uid : left) {
                sets.srem(GroupKeys.groupsOf(uid), String.valueOf(groupId));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not mirror members of group %d to Redis", groupId);
            throw new ApiException(503, "UNAVAILABLE",
                    "membership saved, but chat could not be updated yet; repeat the request");
        }
    }
}

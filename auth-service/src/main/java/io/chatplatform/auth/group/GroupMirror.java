package io.chatplatform.auth.group;

import io.chatplatform.common.http.ApiException;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.jboss.logging.Logger;

/**
 * Mirrors a group's membership into the Redis set {@code group:{gid}:members}, where chat-service reads it.
 * The whole set is rewritten atomically on every change, so a later change heals an earlier failed write.
 */
@ApplicationScoped
public class GroupMirror {

    private static final Logger LOG = Logger.getLogger(GroupMirror.class);

    private final RedisDataSource redis;

    public GroupMirror(RedisDataSource redis) {
        this.redis = redis;
    }

    public static String key(long groupId) {
        return "group:{" + groupId + "}:members";
    }

    public void write(long groupId, Collection<Long> members) {
        String key = key(groupId);
        String[] uids = members.stream().map(String::valueOf).toArray(String[]::new);
        try {
            redis.withTransaction(tx -> {
                tx.key().del(key);
                if (uids.length > 0) {
                    tx.set(String.class).sadd(key, uids);
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not mirror members of group %d to Redis", groupId);
            throw new ApiException(503, "UNAVAILABLE",
                    "membership saved, but chat could not be updated yet; repeat the request");
        }
    }
}

package io.chatplatform.auth.group;

import io.chatplatform.auth.redis.ChunkedPipeline;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.session.GroupKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Mirrors group membership into Redis, where chat and history read it: {@code group:{gid}:members} (who is in a group)
 * and its reverse {@code user:{uid}:groups} (which groups a user is in). The members set is replaced by one script on
 * that key (and the group's {@code absent} marker, same slot), never a MULTI: Redis Cluster refuses transactions. The
 * reverse sets live in other slots and are updated one key per request. Callers hold the group's MySQL row lock while
 * they write, so the writes of one group follow the order of its MySQL changes.
 */
@ApplicationScoped
public class GroupMirror {

    private static final Logger LOG = Logger.getLogger(GroupMirror.class);

    /**
     * KEYS[1] members set, KEYS[2] absent marker, KEYS[3] owner-and-admins set, KEYS[4] settings hash (one slot, {gid});
     * ARGV[1] the number n of owner and admins, ARGV[2] only-admins-send (0/1), ARGV[3] dissolved (0/1), then the n
     * owner and admin ids, then the member ids. Returns the members it replaced.
     */
    static final String REPLACE_TEXT = """
            local old = redis.call('SMEMBERS', KEYS[1])
            redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
            local n = tonumber(ARGV[1])
            for i = 4, 3 + n do
                redis.call('SADD', KEYS[3], ARGV[i])
            end
            redis.call('HSET', KEYS[4], 'onlyAdminsSend', ARGV[2], 'dissolved', ARGV[3])
            for i = 4 + n, #ARGV, 1000 do
                redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
            redis.call('DEL', KEYS[2])
            return old
            """;
    private static final LuaScript REPLACE = new LuaScript(REPLACE_TEXT);

    private final RedisDataSource redis;
    private final ChunkedPipeline pipeline;

    public GroupMirror(RedisDataSource redis, ChunkedPipeline pipeline) {
        this.redis = redis;
        this.pipeline = pipeline;
    }

    /**
     * Writes the group's members; {@code before} are the members MySQL had before the change (empty for a new group).
     * Members the mirror listed that are no longer members lose the group from their reverse set too.
     *
     * @throws RedisUnavailable when Redis could not be written (the caller's transaction rolls back)
     */
    public void write(long groupId, Collection<Long> before, Collection<Long> after, GroupRules rules) {
        try {
            Response old = ChunkedPipeline.outsideTransaction(
                    () -> REPLACE.runAndAwait(redis.getReactive().getRedis(), keys(groupId), args(after, rules)));
            Set<Long> left = new HashSet<>(before);
            if (old != null) {
                for (Response uid : old) {
                    left.add(Long.parseLong(uid.toString()));
                }
            }
            left.removeAll(after);
            pipeline.send(reverseRequests(groupId, after, left));
        } catch (RuntimeException e) {
            LOG.errorf("could not mirror members of group %d to Redis: %s", groupId, e.toString());
            throw new RedisUnavailable("nothing was changed: chat could not be updated; repeat the request");
        }
    }

    /**
     * Replaces the members sets of many groups (a rebuild page) and adds every member's reverse entry; members the old
     * sets listed but MySQL does not lose the group from their reverse set. Blocking; failures propagate.
     */
    public void writeAll(Map<Long, Set<Long>> membersByGroup, Map<Long, GroupRules> rulesByGroup) {
        List<Long> groups = new ArrayList<>(membersByGroup.keySet());
        List<Request> replaces = new ArrayList<>(groups.size());
        for (long gid : groups) {
            // EVAL, not EVALSHA: a NOSCRIPT in the middle of a pipeline would need the whole chunk again
            Request eval = Request.cmd(Command.EVAL).arg(REPLACE_TEXT).arg(4);
            keys(gid).forEach(eval::arg);
            for (Object arg : args(membersByGroup.get(gid), rulesByGroup.get(gid))) {
                eval.arg(arg.toString());
            }
            replaces.add(eval);
        }
        List<Response> olds = pipeline.send(replaces);
        List<Request> reverse = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            long gid = groups.get(i);
            Set<Long> members = membersByGroup.get(gid);
            Set<Long> left = new HashSet<>();
            Response old = olds.get(i);
            if (old != null) {
                for (Response uid : old) {
                    left.add(Long.parseLong(uid.toString()));
                }
            }
            left.removeAll(members);
            reverse.addAll(reverseRequests(gid, members, left));
        }
        pipeline.send(reverse);
    }

    /** The answer to a rebuild request for a group MySQL does not have: {@code group:{gid}:absent} for {@code ttl}. */
    public void markAbsent(long groupId, Duration ttl) {
        pipeline.send(List.of(
                Request.cmd(Command.DEL).arg(GroupKeys.members(groupId)).arg(GroupKeys.admins(groupId))
                        .arg(GroupKeys.settings(groupId)),
                Request.cmd(Command.SET).arg(GroupKeys.absent(groupId)).arg("1").arg("EX").arg(Math.max(1, ttl.toSeconds()))));
    }

    /** Adds ({@code member}) or removes the group from one user's reverse set. */
    static Request reverse(long uid, long groupId, boolean member) {
        return Request.cmd(member ? Command.SADD : Command.SREM).arg(GroupKeys.groupsOf(uid)).arg(groupId);
    }

    private static List<Request> reverseRequests(long groupId, Collection<Long> members, Collection<Long> left) {
        List<Request> requests = new ArrayList<>(members.size() + left.size());
        for (long uid : members) {
            requests.add(reverse(uid, groupId, true));
        }
        for (long uid : left) {
            requests.add(reverse(uid, groupId, false));
        }
        return requests;
    }

    private static List<String> keys(long groupId) {
        return List.of(GroupKeys.members(groupId), GroupKeys.absent(groupId), GroupKeys.admins(groupId),
                GroupKeys.settings(groupId));
    }

    private static Object[] args(Collection<Long> members, GroupRules rules) {
        List<String> args = new ArrayList<>(3 + rules.ownerAndAdmins().size() + members.size());
        args.add(String.valueOf(rules.ownerAndAdmins().size()));
        args.add(rules.onlyAdminsSend() ? "1" : "0");
        args.add(rules.dissolved() ? "1" : "0");
        rules.ownerAndAdmins().forEach(uid -> args.add(String.valueOf(uid)));
        members.forEach(uid -> args.add(String.valueOf(uid)));
        return args.toArray();
    }
}

package io.chatplatform.auth.group;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.redis.ChunkedPipeline;
import io.chatplatform.common.session.GroupKeys;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rebuilds the membership mirrors from MySQL: one group (a rebuild request after a miss), every group (start-up, Redis
 * lost its data) and every user's reverse set (the periodic reconcile). MySQL is read a page at a time; each page of
 * groups is written to Redis while its rows are locked, so concurrent membership changes and other auth instances
 * rebuilding at the same time only wait for each other, and the last write of a group is always its newest state.
 */
@ApplicationScoped
public class MirrorRebuild {

    private final MembershipReader reader;
    private final GroupMirror mirror;
    private final ChunkedPipeline pipeline;
    private final AuthConfig.Mirror config;

    public MirrorRebuild(MembershipReader reader, GroupMirror mirror, ChunkedPipeline pipeline, AuthConfig config) {
        this.reader = reader;
        this.mirror = mirror;
        this.pipeline = pipeline;
        this.config = config.mirror();
    }

    /**
     * Rewrites one group's mirror from MySQL; when MySQL has no such group, sets {@code group:{gid}:absent} instead.
     *
     * @return true if the group exists
     */
    public boolean group(long groupId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TreeMap<Long, Set<Long>> found = reader.lockGroups(List.of(groupId));
            if (found.isEmpty()) {
                mirror.markAbsent(groupId, config.absentTtl());
                return false;
            }
            mirror.writeAll(found, reader.rulesOf(found.keySet()));
            return true;
        });
    }

    /** Rewrites every group's members set and its members' reverse entries, page by page; returns the group count. */
    public int allGroups() {
        long after = 0;
        int count = 0;
        while (true) {
            long from = after;
            TreeMap<Long, Set<Long>> page = QuarkusTransaction.requiringNew().call(() -> {
                TreeMap<Long, Set<Long>> groups = reader.lockGroupsAfter(from, config.pageSize());
                if (!groups.isEmpty()) {
                    mirror.writeAll(groups, reader.rulesOf(groups.keySet()));
                }
                return groups;
            });
            if (page.isEmpty()) {
                return count;
            }
            count += page.size();
            after = page.lastKey();
        }
    }

    /**
     * Makes every user's {@code user:{uid}:groups} equal to MySQL, page by page: missing entries added, stale ones
     * removed. Each difference is checked again under its group's row lock before it is written.
     *
     * @return the number of entries changed
     */
    public int allUsers() {
        long after = 0;
        int changed = 0;
        while (true) {
            TreeMap<Long, Set<Long>> users = reader.groupsOfUsersAfter(after, config.pageSize());
            if (users.isEmpty()) {
                return changed;
            }
            changed += reconcileUsers(users);
            after = users.lastKey();
        }
    }

    private int reconcileUsers(TreeMap<Long, Set<Long>> users) {
        List<Long> uids = new ArrayList<>(users.keySet());
        List<Request> reads = new ArrayList<>(uids.size());
        for (long uid : uids) {
            reads.add(Request.cmd(Command.SMEMBERS).arg(GroupKeys.groupsOf(uid)));
        }
        List<Response> mirrored = pipeline.send(reads);
        // (gid -> uids) whose reverse entry differs from MySQL
        Map<Long, Set<Long>> differences = new TreeMap<>();
        for (int i = 0; i < uids.size(); i++) {
            long uid = uids.get(i);
            Set<Long> inRedis = new HashSet<>();
            Response reply = mirrored.get(i);
            if (reply != null) {
                for (Response gid : reply) {
                    inRedis.add(Long.parseLong(gid.toString()));
                }
            }
            Set<Long> inMySql = users.get(uid);
            Set<Long> differing = new HashSet<>(inRedis);
            differing.addAll(inMySql);
            Set<Long> both = new HashSet<>(inRedis);
            both.retainAll(inMySql);
            differing.removeAll(both);
            for (long gid : differing) {
                differences.computeIfAbsent(gid, g -> new HashSet<>()).add(uid);
            }
        }
        if (differences.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            TreeMap<Long, Set<Long>> locked = reader.lockGroups(differences.keySet());
            List<Request> fixes = new ArrayList<>();
            differences.forEach((gid, members) -> {
                Set<Long> current = locked.getOrDefault(gid, Set.of());
                for (long uid : members) {
                    fixes.add(GroupMirror.reverse(uid, gid, current.contains(uid)));
                }
            });
            pipeline.send(fixes);
            return fixes.size();
        });
    }
}

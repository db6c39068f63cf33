package io.chatplatform.chat;

import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.common.session.UserKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * auth-service's side of the group-mirror rebuild contract, for chat-service's own tests (auth does not run in this
 * JVM; the e2e module runs the real one): on a request for a group made with {@link TestUsers#newGroup} its mirror is
 * written again, for any other id the absent marker is set; likewise for user ids ({@code user:{uid}} requests) made
 * with {@link TestUsers#newUid} or logged in. Over the real Redis channel.
 */
final class AuthMirrorStandIn implements AutoCloseable {

    private static final Map<Long, long[]> GROUPS = new ConcurrentHashMap<>();
    private static final Set<Long> USERS = ConcurrentHashMap.newKeySet();
    private static final Map<Long, Set<Long>> BLOCKS = new ConcurrentHashMap<>();

    private final ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;

    private AuthMirrorStandIn(ReactivePubSubCommands.ReactiveRedisSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    static void remember(long gid, long[] members) {
        GROUPS.put(gid, members.clone());
    }

    /** {@code uid} blocked {@code blocked}: what auth's MySQL would say when asked to mirror uid's blocks. */
    static void rememberBlock(long uid, long blocked) {
        BLOCKS.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet()).add(blocked);
    }

    static void rememberUser(long uid) {
        USERS.add(uid);
    }

    static AuthMirrorStandIn start(ReactiveRedisDataSource redis) {
        return new AuthMirrorStandIn(redis.pubsub(String.class).subscribe(GroupKeys.REBUILD_CHANNEL, requested -> {
            if (requested.startsWith(UserKeys.BLOCKS_REQUEST_PREFIX)) {
                // blocks are mirrored by the tests themselves (BLOCKS); anyone else blocked nobody
                long uid = Long.parseLong(requested.substring(UserKeys.BLOCKS_REQUEST_PREFIX.length()));
                Set<Long> blocked = BLOCKS.getOrDefault(uid, Set.of());
                String[] members = java.util.stream.Stream.concat(java.util.stream.Stream.of(UserKeys.BLOCKS_MIRRORED),
                        blocked.stream().map(String::valueOf)).toArray(String[]::new);
                redis.set(String.class).sadd(UserKeys.blocks(uid), members).subscribe().with(ok -> { });
                return;
            }
            if (requested.startsWith(UserKeys.REBUILD_REQUEST_PREFIX)) {
                long uid = Long.parseLong(requested.substring(UserKeys.REBUILD_REQUEST_PREFIX.length()));
                (USERS.contains(uid) ? redis.bitmap(String.class).setbit(UserKeys.exists(uid), UserKeys.offset(uid), 1)
                        : redis.value(String.class).setex(UserKeys.absent(uid), 60, "1").map(ok -> 0))
                        .subscribe().with(ok -> { });
                return;
            }
            long gid = Long.parseLong(requested);
            long[] members = GROUPS.get(gid);
            if (members == null) {
                redis.value(String.class).setex(GroupKeys.absent(gid), 60, "1").subscribe().with(ok -> { });
            } else {
                redis.set(String.class).sadd(GroupKeys.members(gid), Arrays.stream(members).mapToObj(String::valueOf).toArray(String[]::new))
                        .subscribe().with(ok -> { });
            }
        }).await().indefinitely());
    }

    @Override
    public void close() {
        try {
            unsubscribe();
        } catch (RuntimeException e) {
            // left subscribed: it answers the same way as the next one
        }
    }

    private void unsubscribe() {
        // bounded: on a cluster the unsubscribe reply may never come back, and a stale subscriber is harmless
        subscriber.unsubscribe().await().atMost(Duration.ofSeconds(2));
    }
}

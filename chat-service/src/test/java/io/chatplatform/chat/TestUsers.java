package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import io.chatplatform.localstack.TestTokens;
import io.chatplatform.common.session.UserKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Users and device sessions as auth-service would leave them in Redis: a signed token whose jti is the
 * device's current session, tickets, group membership mirrors and the user-id mirror. Ids are random so runs never collide.
 */
public final class TestUsers {

    private final RedisDataSource redis;
    private final URI ws;

    public TestUsers(RedisDataSource redis, URI ws) {
        this.redis = redis;
        this.ws = ws;
    }

    /** A user id that exists: auth's stand-in confirms it when chat asks ({@link AuthMirrorStandIn}). */
    public static long newUid() {
        long uid = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        AuthMirrorStandIn.rememberUser(uid);
        return uid;
    }

    /** An id no user has (auth's stand-in marks it absent when asked). */
    public static long unknownUid() {
        return ThreadLocalRandom.current().nextLong(9_000_000_000L, 9_900_000_000L);
    }

    public Device login(long uid, String deviceId) {
        return login(uid, deviceId, "USER");
    }

    /** Like a login on auth-service: the new token replaces the device's previous one. */
    public Device login(long uid, String deviceId, String role) {
        TestTokens.Issued issued = TestTokens.issue(uid, "user" + uid, deviceId, role);
        AuthMirrorStandIn.rememberUser(uid);
        // as auth's registration does: the user-id mirror has the bit
        redis.bitmap(String.class).setbit(UserKeys.exists(uid), UserKeys.offset(uid), 1);
        redis.hash(String.class).hset(TestTokens.sessionKey(uid), deviceId, issued.jti());
        redis.hash(String.class).hset("auth:sessmeta:{" + uid + "}:" + deviceId, Map.of("username", "user" + uid, "role", role));
        return new Device(uid, deviceId, issued.token(), issued.jti());
    }

    /** Like auth's revocation: the session is removed and chat instances are told on auth:events. */
    public void revoke(Device device, String reason) {
        redis.hash(String.class).hdel(TestTokens.sessionKey(device.uid()), device.deviceId());
        publishRevoked(device, reason);
    }

    /** Only the auth:events message, as auth publishes after a relogin replaced the device's token. */
    public void publishRevoked(Device device, String reason) {
        redis.pubsub(String.class).publish("auth:events", "{\"type\":\"session.revoked\",\"uid\":" + device.uid()
                + ",\"did\":\"" + device.deviceId() + "\",\"jti\":\"" + device.jti() + "\",\"reason\":\"" + reason + "\"}");
    }

    public String ticket(Device device) {
        String ticket = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        redis.value(String.class).set("auth:ticket:" + ticket, device.uid() + ":" + device.deviceId() + ":" + device.jti(),
                new SetArgs().ex(Duration.ofSeconds(30)));
        return ticket;
    }

    public long newGroup(long... members) {
        long gid = newUid();
        AuthMirrorStandIn.remember(gid, members);
        redis.set(String.class).sadd("group:{" + gid + "}:members", Arrays.stream(members).mapToObj(String::valueOf).toArray(String[]::new));
        return gid;
    }

    public WsClient connect(Device device) {
        return WsClient.bearer(ws, device.token());
    }

    public record Device(long uid, String deviceId, String token, String jti) {
    }
}

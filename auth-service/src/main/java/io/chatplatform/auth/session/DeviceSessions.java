package io.chatplatform.auth.session;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.redis.ChunkedPipeline;
import io.chatplatform.auth.refresh.RefreshTokens;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.auth.user.User;
import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.session.DeviceSessionCheck;
import io.chatplatform.common.session.SessionKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one-token-per-(user, device) registry in Redis. The metadata hash also carries username and role, so a
 * ticket-authenticated WebSocket knows them without a token. Every change that ends a token publishes
 * {@code session.revoked}, so open WebSockets close at once. When Redis cannot be reached every method throws
 * {@link RedisUnavailable} (503).
 */
@ApplicationScoped
public class DeviceSessions {

    /** Registers jti for the device, returns the jti it replaces (or nil). Keys share the {uid} hash tag. */
    private static final LuaScript OPEN = new LuaScript("""
            local old = redis.call('HGET', KEYS[1], ARGV[1])
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('DEL', KEYS[2])
            redis.call('HSET', KEYS[2], 'userAgent', ARGV[3], 'ip', ARGV[4], 'loginAt', ARGV[5],
                'username', ARGV[7], 'role', ARGV[8])
            local ttl = tonumber(ARGV[6])
            if redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
            redis.call('EXPIRE', KEYS[2], ttl)
            return old
            """);

    /**
     * A refresh: registers jti for the device unless another token holds it (a newer login); refreshes the expiry and
     * re-creates the metadata when Redis lost them. Returns 1, or 0 when another jti is registered.
     */
    private static final LuaScript RESUME = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current and current ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            if not current then
                redis.call('DEL', KEYS[2])
                redis.call('HSET', KEYS[2], 'userAgent', ARGV[3], 'ip', ARGV[4], 'loginAt', ARGV[5],
                    'username', ARGV[7], 'role', ARGV[8])
            end
            local ttl = tonumber(ARGV[6])
            if redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
            redis.call('EXPIRE', KEYS[2], ttl)
            return 1
            """);

    /** Removes the device's session if its jti is ARGV[2] (or any jti when ARGV[2] is empty); returns it. */
    private static final LuaScript CLOSE = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if not current then return false end
            if ARGV[2] ~= '' and current ~= ARGV[2] then return false end
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('DEL', KEYS[2])
            return current
            """);


    private static final String UNAVAILABLE = "sessions are unavailable for a moment; try again";

    private final RedisDataSource redis;
    private final HashCommands<String, String, String> hashes;
    private final SessionEvents events;
    private final AuthConfig config;
    private final DeviceSessionCheck check;
    private final RefreshTokens refreshTokens;

    public DeviceSessions(RedisDataSource redis, SessionEvents events, AuthConfig config, DeviceSessionCheck check,
            RefreshTokens refreshTokens) {
        this.redis = redis;
        this.refreshTokens = refreshTokens;
        this.hashes = redis.hash(String.class);
        this.events = events;
        this.config = config;
        this.check = check;
    }

    /** Makes jti the device's only valid token; the token it replaces, if any, stops working at once. */
    public void open(User user, String deviceId, String jti, String userAgent, String ip, Duration lifetime) {
        RedisUnavailable.guard(UNAVAILABLE, () -> doOpen(user, deviceId, jti, userAgent, ip, lifetime));
    }

    private void doOpen(User user, String deviceId, String jti, String userAgent, String ip, Duration lifetime) {
        long uid = user.id;
        Response replaced = OPEN.runAndAwait(redis.getReactive().getRedis(), sessionKeys(uid, deviceId), deviceId, jti,
                nullToEmpty(userAgent), nullToEmpty(ip), Instant.now().toString(), Math.max(1, lifetime.toSeconds()),
                user.username, user.role.name());
        if (replaced != null && !replaced.toString().equals(jti)) {
            check.forget(uid, deviceId); // this instance refuses the replaced token at once, others within the cache ttl
            events.revoked(uid, deviceId, replaced.toString(), "replaced");
        }
        config.maxDevices().ifPresent(max -> evictBeyond(uid, max, deviceId));
    }

    /**
     * A refresh keeps the device session {@code jti} alive: registers it again when Redis lost it (the metadata from
     * the login, kept with the refresh token), extends its expiry. False when the device has another token now. May run
     * inside a MySQL transaction (suspended while Redis is awaited).
     */
    public boolean resume(User user, String deviceId, String jti, String userAgent, String ip, Instant loginAt,
            Duration lifetime) {
        return RedisUnavailable.guard(UNAVAILABLE, () -> ChunkedPipeline.outsideTransaction(() -> {
            Response done = RESUME.runAndAwait(redis.getReactive().getRedis(), sessionKeys(user.id, deviceId), deviceId, jti,
                    nullToEmpty(userAgent), nullToEmpty(ip), loginAt.toString(), Math.max(1, lifetime.toSeconds()),
                    user.username, user.role.name());
            return done.toInteger() == 1;
        }));
    }

    /**
     * Ends the device's session if it still belongs to expectedJti (empty = whichever token it has), and the device's
     * refresh tokens with it. True if there was a session or a refresh token (after a Redis loss only the latter).
     */
    public boolean close(long uid, String deviceId, Optional<String> expectedJti, String reason) {
        boolean closed = RedisUnavailable.guard(UNAVAILABLE, () -> doClose(uid, deviceId, expectedJti, reason));
        boolean refreshEnded = (closed || expectedJti.isEmpty()) && refreshTokens.revokeDevice(uid, deviceId);
        return closed || refreshEnded;
    }

    private boolean doClose(long uid, String deviceId, Optional<String> expectedJti, String reason) {
        Response removed = CLOSE.runAndAwait(redis.getReactive().getRedis(), sessionKeys(uid, deviceId), deviceId,
                expectedJti.orElse(""));
        if (removed == null) {
            return false;
        }
        check.forget(uid, deviceId);
        events.revoked(uid, deviceId, removed.toString(), reason);
        return true;
    }

    /** The keys both scripts touch; they share the {uid} hash tag. */
    private static List<String> sessionKeys(long uid, String deviceId) {
        return List.of(SessionKeys.sessions(uid), SessionKeys.sessionMeta(uid, deviceId));
    }

    /** Ends every session and refresh token of the user. */
    public void closeAll(long uid, String reason) {
        closeAllExcept(uid, Optional.empty(), reason);
    }

    /** Ends every session and refresh token of the user but those of {@code keepDevice}. */
    public void closeAllExcept(long uid, Optional<String> keepDevice, String reason) {
        for (String deviceId : RedisUnavailable.guard(UNAVAILABLE, () -> hashes.hkeys(SessionKeys.sessions(uid)))) {
            if (keepDevice.isEmpty() || !keepDevice.get().equals(deviceId)) {
                RedisUnavailable.guard(UNAVAILABLE, () -> doClose(uid, deviceId, Optional.empty(), reason));
            }
        }
        refreshTokens.revokeUser(uid, keepDevice);
    }

    public List<DeviceSession> list(long uid) {
        return RedisUnavailable.guard(UNAVAILABLE, () -> doList(uid));
    }

    private List<DeviceSession> doList(long uid) {
        List<DeviceSession> sessions = new ArrayList<>();
        for (String deviceId : hashes.hkeys(SessionKeys.sessions(uid))) {
            Map<String, String> meta = hashes.hgetall(SessionKeys.sessionMeta(uid, deviceId));
            sessions.add(new DeviceSession(deviceId, meta.get("userAgent"), meta.get("ip"),
                    Optional.ofNullable(meta.get("loginAt")).map(Instant::parse).orElse(null)));
        }
        sessions.sort(Comparator.comparing(DeviceSession::loginAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        return sessions;
    }

    private void evictBeyond(long uid, int max, String keep) {
        List<DeviceSession> sessions = doList(uid);
        int excess = sessions.size() - max;
        for (DeviceSession oldest : sessions) {
            if (excess <= 0) {
                return;
            }
            if (!oldest.deviceId().equals(keep) && close(uid, oldest.deviceId(), Optional.empty(), "device-limit")) {
                excess--;
            }
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    public record DeviceSession(String deviceId, String userAgent, String ip, Instant loginAt) {
    }
}

package io.chatplatform.auth.push;

import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.session.PushKeys;
import io.chatplatform.common.session.SessionKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * A device session's push registration, stored in its session metadata hash ({@link PushKeys}): it ends with the
 * session whichever way the session ends, because every end deletes that hash.
 */
@ApplicationScoped
public class PushRegistrations {

    /** KEYS: sessions, meta. ARGV: device, jti, provider, token. Only while jti is the device's session. */
    private static final LuaScript SET = new LuaScript("""
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
            redis.call('HSET', KEYS[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
            return 1
            """);

    /** KEYS: sessions, meta. ARGV: device, jti. */
    private static final LuaScript CLEAR = new LuaScript("""
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            return redis.call('HDEL', KEYS[2], ARGV[3], ARGV[4])
            """);

    private static final String UNAVAILABLE = "push registrations are unavailable for a moment; try again";

    private final RedisDataSource redis;

    public PushRegistrations(RedisDataSource redis) {
        this.redis = redis;
    }

    /** False when the session of {@code jti} is gone (ended meanwhile, or Redis lost it). */
    public boolean register(long uid, String deviceId, String jti, String provider, String token) {
        return RedisUnavailable.guard(UNAVAILABLE, () -> {
            Response r = SET.runAndAwait(redis.getReactive().getRedis(), keys(uid, deviceId), deviceId, jti,
                    PushKeys.PROVIDER_FIELD, provider, PushKeys.TOKEN_FIELD, token);
            return r != null && r.toInteger() == 1;
        });
    }

    /** True when there was a registration. */
    public boolean unregister(long uid, String deviceId, String jti) {
        return RedisUnavailable.guard(UNAVAILABLE, () -> {
            Response r = CLEAR.runAndAwait(redis.getReactive().getRedis(), keys(uid, deviceId), deviceId, jti,
                    PushKeys.PROVIDER_FIELD, PushKeys.TOKEN_FIELD);
            return r != null && r.toInteger() > 0;
        });
    }

    private static List<String> keys(long uid, String deviceId) {
        return List.of(SessionKeys.sessions(uid), SessionKeys.sessionMeta(uid, deviceId));
    }
}

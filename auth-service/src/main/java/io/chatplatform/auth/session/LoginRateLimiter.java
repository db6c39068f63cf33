package io.chatplatform.auth.session;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/**
 * Counts failed logins per username and per client address in fixed windows; past the limit a login is
 * refused with 429 and Retry-After until the window ends, before the password is even checked. Without Redis no
 * login is possible (the limits and the session live there): {@link RedisUnavailable}, 503.
 */
@ApplicationScoped
public class LoginRateLimiter {

    private static final LuaScript INCREMENT = new LuaScript("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return n
            """);

    private static final String UNAVAILABLE = "login is unavailable for a moment; try again";

    private final RedisDataSource redis;
    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final AuthConfig.LoginLimit limit;

    public LoginRateLimiter(RedisDataSource redis, AuthConfig config) {
        this.redis = redis;
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.limit = config.loginLimit();
    }

    public void checkAllowed(String username, String address) {
        RedisUnavailable.guard(UNAVAILABLE, () -> {
            refuseIfOver(userKey(username), limit.perUser());
            refuseIfOver(addressKey(address), limit.perAddress());
        });
    }

    public void recordFailure(String username, String address) {
        long window = limit.window().toSeconds();
        RedisUnavailable.guard(UNAVAILABLE, () -> {
            INCREMENT.runAndAwait(redis.getReactive().getRedis(), List.of(userKey(username)), window);
            INCREMENT.runAndAwait(redis.getReactive().getRedis(), List.of(addressKey(address)), window);
        });
    }

    public void recordSuccess(String username) {
        RedisUnavailable.guard(UNAVAILABLE, () -> keys.del(userKey(username)));
    }

    private void refuseIfOver(String key, int max) {
        Long failures = counters.get(key);
        if (failures != null && failures >= max) {
            long ttl = keys.ttl(key);
            throw ApiException.rateLimited("too many failed logins; try again later", ttl > 0 ? ttl : limit.window().toSeconds());
        }
    }

    private static String userKey(String username) {
        return "auth:loginfail:user:" + username.toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "auth:loginfail:addr:" + address;
    }
}

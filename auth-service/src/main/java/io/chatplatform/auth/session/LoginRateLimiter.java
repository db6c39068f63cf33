package io.chatplatform.auth.session;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.limit.ClientAddress;
import io.chatplatform.auth.limit.FixedWindowCounter;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/**
 * Failed-login limits, checked before the password, built so that nobody can lock another user out:
 * <ul>
 * <li>per (username, client address): {@code per-user} failures lock that pair only; the user logs in from anywhere
 * else;</li>
 * <li>per client address: {@code per-address} failures over any usernames lock the address (password spraying);</li>
 * <li>per username over all addresses: past {@code per-user-unknown-addresses} failures only the addresses the user
 * logged in from successfully within {@code known-address-ttl} may still try; a distributed guesser is capped, the
 * owner keeps logging in from their usual places.</li>
 * </ul>
 * Fixed windows of {@code window}; a refusal is 429 with Retry-After until its window ends. The keys of one username
 * share the hash tag {@code {username}}, so each check is one script on one Redis Cluster slot. Without Redis no login
 * is possible (the limits and the session live there): {@link RedisUnavailable}, 503.
 */
@ApplicationScoped
public class LoginRateLimiter {

    /**
     * KEYS: pair counter, username counter, known addresses (zset address -> last success ms); ARGV: per-user limit,
     * unknown-address limit, address, oldest success ms still known. Returns {0, 0} or {1 pair | 2 username, ttl}.
     */
    private static final LuaScript CHECK = new LuaScript("""
            local pair = tonumber(redis.call('GET', KEYS[1]) or '0')
            if pair >= tonumber(ARGV[1]) then return {1, redis.call('TTL', KEYS[1])} end
            local all = tonumber(redis.call('GET', KEYS[2]) or '0')
            if all >= tonumber(ARGV[2]) then
                local seen = redis.call('ZSCORE', KEYS[3], ARGV[3])
                if not seen or tonumber(seen) < tonumber(ARGV[4]) then return {2, redis.call('TTL', KEYS[2])} end
            end
            return {0, 0}
            """);

    /** KEYS: pair counter, username counter; ARGV: window seconds. */
    private static final LuaScript FAILED = new LuaScript("""
            for i = 1, 2 do
                if redis.call('INCR', KEYS[i]) == 1 or redis.call('TTL', KEYS[i]) < 0 then
                    redis.call('EXPIRE', KEYS[i], ARGV[1])
                end
            end
            return 1
            """);

    /** KEYS: pair counter, known addresses; ARGV: address, now ms, known ttl seconds, most addresses kept. */
    private static final LuaScript SUCCEEDED = new LuaScript("""
            redis.call('DEL', KEYS[1])
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
            redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[4]) + 1))
            redis.call('EXPIRE', KEYS[2], ARGV[3])
            return 1
            """);

    private static final String UNAVAILABLE = "login is unavailable for a moment; try again";

    private final RedisDataSource redis;
    private final FixedWindowCounter windows;
    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final AuthConfig.LoginLimit limit;

    public LoginRateLimiter(RedisDataSource redis, FixedWindowCounter windows, AuthConfig config) {
        this.redis = redis;
        this.windows = windows;
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.limit = config.loginLimit();
    }

    public void checkAllowed(String username, String address) {
        String from = ClientAddress.limitKey(address);
        RedisUnavailable.guard(UNAVAILABLE, () -> {
            long knownSince = System.currentTimeMillis() - limit.knownAddressTtl().toMillis();
            Response verdict = CHECK.runAndAwait(redis.getReactive().getRedis(), userKeys(username, from),
                    limit.perUser(), limit.perUserUnknownAddresses(), from, knownSince);
            switch (verdict.get(0).toInteger()) {
                case 1 -> throw refused("too many failed logins for this account from your address; try again later",
                        verdict.get(1).toLong());
                case 2 -> throw refused("too many failed logins for this account; it accepts logins only from addresses"
                        + " it recently logged in from for now; try again later", verdict.get(1).toLong());
                default -> {
                }
            }
            String addressKey = addressKey(from);
            Long failures = counters.get(addressKey);
            if (failures != null && failures >= limit.perAddress()) {
                throw refused("too many failed logins from your address; try again later", keys.ttl(addressKey));
            }
        });
    }

    /** For credentials without a username (refresh tokens): only the per-address limit applies. */
    public void checkAddressAllowed(String address) {
        String addressKey = addressKey(ClientAddress.limitKey(address));
        RedisUnavailable.guard(UNAVAILABLE, () -> {
            Long failures = counters.get(addressKey);
            if (failures != null && failures >= limit.perAddress()) {
                throw refused("too many failed attempts from your address; try again later", keys.ttl(addressKey));
            }
        });
    }

    /** A refresh token nobody has (or an expired one) counts as a failed login of the address. */
    public void recordAddressFailure(String address) {
        String from = ClientAddress.limitKey(address);
        RedisUnavailable.guard(UNAVAILABLE, () -> {
            windows.increment(addressKey(from), limit.window());
        });
    }

    public void recordFailure(String username, String address) {
        String from = ClientAddress.limitKey(address);
        RedisUnavailable.guard(UNAVAILABLE, () -> {
            FAILED.runAndAwait(redis.getReactive().getRedis(), userKeys(username, from).subList(0, 2),
                    limit.window().toSeconds());
            windows.increment(addressKey(from), limit.window());
        });
    }

    /** Clears the (username, address) pair and remembers the address as one this user logs in from. */
    public void recordSuccess(String username, String address) {
        String from = ClientAddress.limitKey(address);
        String user = user(username);
        RedisUnavailable.guard(UNAVAILABLE, () -> SUCCEEDED.runAndAwait(redis.getReactive().getRedis(),
                List.of(pairKey(user, from), "auth:loginok:{" + user + "}"), from, System.currentTimeMillis(),
                Math.max(1, limit.knownAddressTtl().toSeconds()), Math.max(1, limit.maxKnownAddresses())));
    }

    private ApiException refused(String message, long ttl) {
        return ApiException.rateLimited(message, ttl > 0 ? ttl : limit.window().toSeconds());
    }

    private static List<String> userKeys(String username, String from) {
        String user = user(username);
        return List.of(pairKey(user, from), "auth:loginfail:{" + user + "}:all", "auth:loginok:{" + user + "}");
    }

    private static String pairKey(String user, String from) {
        return "auth:loginfail:{" + user + "}:addr:" + from;
    }

    private static String user(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String from) {
        return "auth:loginfail:addr:{" + from + "}";
    }
}

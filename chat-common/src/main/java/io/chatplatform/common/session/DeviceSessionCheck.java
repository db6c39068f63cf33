package io.chatplatform.common.session;

import io.chatplatform.common.http.ApiException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one check every service runs on every authenticated request or connection: the token's jti must
 * still be the registered token of its (user, device), i.e. {@code auth:sess:{uid}[did] == jti}.
 *
 * <p>When Redis cannot answer, the check fails with {@link SessionStoreUnavailable} (503 with {@code Retry-After} through
 * the JSON error mappers), not with an authentication failure: a 401 would sign web clients out although their session
 * may well be current.
 *
 * <p>A confirmed (uid, did, jti) is trusted for {@code session-check.cache-ttl} (default 1 s, 0 disables; DESIGN
 * allows a second or two) in a {@link VerifiedSessionCache} of at most {@code session-check.cache-max-entries}
 * entries, so a hot token costs one Redis read per TTL, and a revocation applies within the TTL. Failures and
 * negative answers are never cached.
 */
@ApplicationScoped
public class DeviceSessionCheck {

    /** Property: how long a confirmed device session is trusted without asking Redis (a duration; 0 = no cache). */
    public static final String CACHE_TTL = "session-check.cache-ttl";
    /** Property: the most (user, device) pairs the cache holds. */
    public static final String CACHE_MAX_ENTRIES = "session-check.cache-max-entries";

    private final ReactiveHashCommands<String, String, String> hashes;
    private final VerifiedSessionCache cache;

    public DeviceSessionCheck(ReactiveRedisDataSource redis,
            @ConfigProperty(name = CACHE_TTL, defaultValue = "1s") Duration cacheTtl,
            @ConfigProperty(name = CACHE_MAX_ENTRIES, defaultValue = "100000") int cacheMaxEntries) {
        this.hashes = redis.hash(String.class);
        this.cache = new VerifiedSessionCache(cacheTtl, cacheMaxEntries);
    }

    public Uni<Boolean> isCurrent(long uid, String deviceId, String jti) {
        if (deviceId == null || jti == null) {
            return Uni.createFrom().item(false);
        }
        if (cache.isTrusted(uid, deviceId, jti)) {
            return Uni.createFrom().item(true);
        }
        return hashes.hget(SessionKeys.sessions(uid), deviceId).map(registered -> {
            boolean current = jti.equals(registered);
            if (current) {
                cache.confirmed(uid, deviceId, jti);
            }
            return current;
        }).onFailure().transform(failure -> new SessionStoreUnavailable());
    }

    /** Forgets the cached answer for (uid, did): for the service that just changed that session itself. */
    public void forget(long uid, String deviceId) {
        cache.forget(uid, deviceId);
    }

    /**
     * The device of a signature-valid JWT, if it is an access token whose device session is current; otherwise
     * an {@link AuthenticationFailedException} saying why not.
     */
    public Uni<AuthenticatedDevice> verify(JsonWebToken jwt) {
        if (!AccessTokenClaims.ACCESS.equals(jwt.getClaim(AccessTokenClaims.TOKEN_USE))) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not an access token"));
        }
        AuthenticatedDevice device;
        try {
            device = AuthenticatedDevice.of(jwt);
        } catch (NumberFormatException | NullPointerException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("bad subject"));
        }
        return isCurrent(device.uid(), device.deviceId(), device.jti()).map(current -> {
            if (!current) {
                throw new AuthenticationFailedException("device session ended");
            }
            return device;
        });
    }

    /** The device-session store (Redis) did not answer: 503 {@code UNAVAILABLE}, retry after a moment. */
    public static final class SessionStoreUnavailable extends ApiException {

        /** Seconds a client should wait before repeating the request. */
        public static final long RETRY_AFTER_SECONDS = 2;

        public SessionStoreUnavailable() {
            super(503, "UNAVAILABLE", "sessions cannot be checked for a moment; try again");
        }

        @Override
        public Long retryAfterSeconds() {
            return RETRY_AFTER_SECONDS;
        }
    }
}

package io.chatplatform.common.session;

import io.chatplatform.common.http.ApiException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one check every service runs on every authenticated request or connection: the token's jti must
 * still be the registered token of its (user, device), i.e. {@code auth:sess:{uid}[did] == jti}.
 *
 * <p>When Redis cannot answer, the check fails with {@link SessionStoreUnavailable} (503 with {@code Retry-After} through
 * the JSON error mappers), not with an authentication failure: a 401 would sign web clients out although their session
 * may well be current.
 */
@ApplicationScoped
public class DeviceSessionCheck {

    private final ReactiveHashCommands<String, String, String> hashes;

    public DeviceSessionCheck(ReactiveRedisDataSource redis) {
        this.hashes = redis.hash(String.class);
    }

    public Uni<Boolean> isCurrent(long uid, String deviceId, String jti) {
        if (deviceId == null || jti == null) {
            return Uni.createFrom().item(false);
        }
        return hashes.hget(SessionKeys.sessions(uid), deviceId).map(jti::equals)
                .onFailure().transform(failure -> new SessionStoreUnavailable());
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

package io.chatplatform.common.session;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one check every service runs on every authenticated request or connection: the token's jti must
 * still be the registered token of its (user, device), i.e. {@code auth:sess:{uid}[did] == jti}.
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
        return hashes.hget(SessionKeys.sessions(uid), deviceId).map(jti::equals);
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
}

package io.chatplatform.common.session;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Rejects a signature-valid JWT unless it is an access token whose device session is still current.
 * Runs for every authenticated HTTP request and WebSocket upgrade in every service that has chat-common.
 */
@ApplicationScoped
public class DeviceSessionAugmentor implements SecurityIdentityAugmentor {

    private final DeviceSessionCheck check;

    public DeviceSessionAugmentor(DeviceSessionCheck check) {
        this.check = check;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        if (!AccessTokenClaims.ACCESS.equals(jwt.getClaim(AccessTokenClaims.TOKEN_USE))) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not an access token"));
        }
        long uid;
        try {
            uid = Long.parseLong(jwt.getSubject());
        } catch (NumberFormatException | NullPointerException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("bad subject"));
        }
        String deviceId = jwt.getClaim(AccessTokenClaims.DEVICE);
        return check.isCurrent(uid, deviceId, jwt.getTokenID())
                .onItem().transform(current -> {
                    if (!current) {
                        throw new AuthenticationFailedException("device session ended");
                    }
                    return identity;
                });
    }
}

package io.chatplatform.common.session;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: the user and device of an access token that already passed {@link DeviceSessionAugmentor}. */
public record AuthenticatedDevice(long uid, String username, String deviceId, String jti, Set<String> roles) {

    public static AuthenticatedDevice of(JsonWebToken jwt) {
        return new AuthenticatedDevice(Long.parseLong(jwt.getSubject()), jwt.getName(),
                jwt.getClaim(AccessTokenClaims.DEVICE), jwt.getTokenID(), jwt.getGroups());
    }

    /** From a JWT identity or a ticket identity ({@link DevicePrincipal}). */
    public static AuthenticatedDevice of(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            return of(jwt);
        }
        if (identity.getPrincipal() instanceof DevicePrincipal device) {
            return new AuthenticatedDevice(device.uid(), device.username(), device.deviceId(), device.jti(), identity.getRoles());
        }
        throw new IllegalStateException("not an authenticated device: " + identity.getPrincipal());
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}

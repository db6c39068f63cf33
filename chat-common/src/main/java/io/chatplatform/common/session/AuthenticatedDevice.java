package io.chatplatform.common.session;

import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: the user and device of an access token that already passed {@link DeviceSessionAugmentor}. */
public record AuthenticatedDevice(long uid, String username, String deviceId, String jti, Set<String> roles) {

    public static AuthenticatedDevice of(JsonWebToken jwt) {
        return new AuthenticatedDevice(Long.parseLong(jwt.getSubject()), jwt.getName(),
                jwt.getClaim(AccessTokenClaims.DEVICE), jwt.getTokenID(), jwt.getGroups());
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}

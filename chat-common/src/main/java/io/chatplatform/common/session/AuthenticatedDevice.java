package io.chatplatform.common.session;

import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: the user and device of an access token that already passed {@link DeviceSessionCheck#verify}. */
public record AuthenticatedDevice(long uid, String username, String deviceId, String jti, Set<String> roles) {

    public static AuthenticatedDevice of(JsonWebToken jwt) {
        return new AuthenticatedDevice(Long.parseLong(jwt.getSubject()), jwt.getName(),
                jwt.getClaim(AccessTokenClaims.DEVICE), jwt.getTokenID(), jwt.getGroups());
    }

    /** The device session a redeemed one-time ticket stands for. */
    public static AuthenticatedDevice of(WsTicket ticket) {
        return new AuthenticatedDevice(ticket.uid(), ticket.username(), ticket.deviceId(), ticket.jti(),
                ticket.role() == null ? Set.of() : Set.of(ticket.role()));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}

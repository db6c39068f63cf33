package io.chatplatform.common.session;

import java.security.Principal;

/** The principal of a connection authenticated by a one-time ticket rather than a JWT. */
public record DevicePrincipal(long uid, String username, String deviceId, String jti) implements Principal {

    @Override
    public String getName() {
        return username;
    }
}

package io.chatplatform.common.session;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Published on {@link SessionKeys#EVENTS_CHANNEL} whenever a device token stops being valid
 * (replaced by a new login on the same device, logout, kick, eviction, role change).
 */
@RegisterForReflection
public record SessionRevoked(String type, long uid, String did, String jti, String reason) {

    public static final String TYPE = "session.revoked";

    public static SessionRevoked of(long uid, String did, String jti, String reason) {
        return new SessionRevoked(TYPE, uid, did, jti, reason);
    }
}

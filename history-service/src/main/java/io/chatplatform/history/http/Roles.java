package io.chatplatform.history.http;

import io.chatplatform.common.session.AuthenticatedDevice;

/** Roles from the access token's {@code groups} claim. */
public final class Roles {

    public static final String AGENT = "AGENT";
    public static final String ADMIN = "ADMIN";

    private Roles() {
    }

    /** Desk staff: may read every desk ticket and its conversation. */
    public static boolean isDeskStaff(AuthenticatedDevice me) {
        return me.hasRole(AGENT) || me.hasRole(ADMIN);
    }
}

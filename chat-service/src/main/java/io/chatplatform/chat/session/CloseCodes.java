package io.chatplatform.chat.session;

/** WebSocket close codes of DESIGN. */
public final class CloseCodes {

    public static final int GOING_AWAY = 1001;
    public static final int TOO_LARGE = 1009;
    public static final int SESSION_REVOKED = 4001;
    public static final int FORBIDDEN = 4003;
    public static final int RATE_LIMIT = 4008;

    private CloseCodes() {
    }
}

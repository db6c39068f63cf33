package io.chatplatform.chat.session;

/** WebSocket close codes of DESIGN. */
public final class CloseCodes {

    public static final int GOING_AWAY = 1001;
    /** RFC 6455 "policy violation": the peer does not read what it is sent. */
    public static final int TOO_SLOW = 1008;
    public static final int TOO_LARGE = 1009;
    public static final int SESSION_REVOKED = 4001;
    public static final int FORBIDDEN = 4003;
    public static final int RATE_LIMIT = 4008;

    private CloseCodes() {
    }
}

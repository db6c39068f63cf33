package io.chatplatform.common.session;

/**
 * Redis keys of the device-session contract shared by all services (DESIGN "Identity and tokens").
 * The user id is wrapped in a real Redis Cluster hash tag so that a user's session hash and the
 * per-device metadata hashes live in one slot and one Lua script may touch them together.
 */
public final class SessionKeys {

    /** Pub/sub channel carrying {@link SessionRevoked} events. */
    public static final String EVENTS_CHANNEL = "auth:events";

    private SessionKeys() {
    }

    /** Hash: deviceId → jti of the one valid access token of that device. */
    public static String sessions(long uid) {
        return "auth:sess:{" + uid + "}";
    }

    /** Hash: userAgent, ip, loginAt of one device session. */
    public static String sessionMeta(long uid, String deviceId) {
        return "auth:sessmeta:{" + uid + "}:" + deviceId;
    }

    /** String: "uid:did:jti" of a one-time WebSocket ticket. */
    public static String ticket(String ticket) {
        return "auth:ticket:" + ticket;
    }
}

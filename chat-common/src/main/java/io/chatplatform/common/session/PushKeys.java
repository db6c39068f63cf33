package io.chatplatform.common.session;

/**
 * Redis contract of push registrations (DESIGN Part 2 "Offline notifications"), written by auth-service and read by
 * history-service's notifier. A device's registration lives in its device-session metadata hash
 * ({@link SessionKeys#sessionMeta}) as the fields below, so it ends with the session by construction: logout, kick,
 * eviction, refresh-token reuse, password change, disabling and deletion all delete that hash, a new login on the
 * device replaces it, and it expires with it. The notifier finds a user's devices in {@link SessionKeys#sessions},
 * which shares the {uid} hash tag (and with {@code presence:{uid}} of chat-service).
 */
public final class PushKeys {

    /** {@code fcm}, {@code apns} or {@code webhook}. */
    public static final String PROVIDER_FIELD = "pushProvider";
    /** The FCM registration token, the APNs device token (hex) or the webhook URL. */
    public static final String TOKEN_FIELD = "pushToken";

    public static final String FCM = "fcm";
    public static final String APNS = "apns";
    public static final String WEBHOOK = "webhook";

    private PushKeys() {
    }

    /** Hash: deviceId → instanceId of each device of the user with an open WebSocket (written by chat-service). */
    public static String presence(long uid) {
        return "presence:{" + uid + "}";
    }

    /** Liveness of a chat instance (expires unless refreshed, written by chat-service): presence entries count only while it lives. */
    public static String chatInstance(String instanceId) {
        return "chat:instance:{" + instanceId + "}";
    }
}

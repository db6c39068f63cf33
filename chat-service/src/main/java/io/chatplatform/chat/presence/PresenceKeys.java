package io.chatplatform.chat.presence;

/** Redis keys of routing state; ids in braces are real Redis Cluster hash tags. */
public final class PresenceKeys {

    private PresenceKeys() {
    }

    /** Hash: deviceId → instanceId of each connected device of a user. */
    public static String presence(long uid) {
        return "presence:{" + uid + "}";
    }

    /** Liveness of a chat instance (expires unless refreshed). */
    public static String instance(String instanceId) {
        return "chat:instance:{" + instanceId + "}";
    }

    /** Stream only that instance reads: deliveries for the devices connected to it. */
    public static String inbox(String instanceId) {
        return "chat:inbox:{" + instanceId + "}";
    }
}

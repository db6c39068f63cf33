package io.chatplatform.history.ingest;

/** Recognizes Redis error replies by their code, wherever in the cause chain the client put them. */
public final class RedisErrors {

    private RedisErrors() {
    }

    /** The consumer group (or its stream) does not exist: it must be created again. */
    public static boolean isNoGroup(Throwable e) {
        return messageStartsWith(e, "NOGROUP");
    }

    public static boolean isBusyGroup(Throwable e) {
        return messageStartsWith(e, "BUSYGROUP");
    }

    static boolean isNoSuchKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("no such key")) {
                return true;
            }
        }
        return false;
    }

    private static boolean messageStartsWith(Throwable e, String code) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.startsWith(code) || message.contains(" " + code + " ")
                    || message.contains(": " + code))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}

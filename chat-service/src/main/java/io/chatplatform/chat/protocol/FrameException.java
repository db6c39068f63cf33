package io.chatplatform.chat.protocol;

/** A client frame that cannot be served; answered with an {@code error} frame, the connection stays open. */
public class FrameException extends RuntimeException {

    private final ErrorCode code;

    public FrameException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** Whether the client is at fault (counts toward the bad-frame limit). */
    public boolean clientFault() {
        return switch (code) {
            case BAD_JSON, BAD_FRAME, UNKNOWN_TYPE, INVALID_FIELD -> true;
            default -> false;
        };
    }

    public static FrameException invalid(String message) {
        return new FrameException(ErrorCode.INVALID_FIELD, message);
    }
}

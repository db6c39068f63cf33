package io.chatplatform.chat.protocol;

/** The error codes of DESIGN's {@code error} frame. */
public enum ErrorCode {
    BAD_JSON, BAD_FRAME, UNKNOWN_TYPE, INVALID_FIELD, FORBIDDEN, NOT_FOUND, RATE_LIMITED, TOO_LARGE, CONFLICT,
    UNAVAILABLE, INTERNAL
}

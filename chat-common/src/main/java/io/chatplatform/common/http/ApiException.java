package io.chatplatform.common.http;

import jakarta.ws.rs.core.Response.Status;

/** A request failure with its HTTP status, machine code and human message; rendered as {@link ApiError}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    private ApiException(int status, String code, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalid(String message) {
        return new ApiException(Status.BAD_REQUEST.getStatusCode(), "INVALID_FIELD", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND.getStatusCode(), "NOT_FOUND", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(Status.FORBIDDEN.getStatusCode(), "FORBIDDEN", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(Status.CONFLICT.getStatusCode(), "CONFLICT", message);
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException(Status.UNAUTHORIZED.getStatusCode(), code, message);
    }

    public static ApiException rateLimited(String message, long retryAfterSeconds) {
        return new ApiException(Status.TOO_MANY_REQUESTS.getStatusCode(), "RATE_LIMITED", message,
                Math.max(1, retryAfterSeconds));
    }

    /** 503 {@code UNAVAILABLE} with {@code Retry-After}: a bounded queue is full or a store cannot answer; retry. */
    public static ApiException unavailable(String message, long retryAfterSeconds) {
        return new ApiException(Status.SERVICE_UNAVAILABLE.getStatusCode(), "UNAVAILABLE", message,
                Math.max(1, retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

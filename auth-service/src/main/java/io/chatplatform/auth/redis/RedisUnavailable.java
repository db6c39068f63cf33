package io.chatplatform.auth.redis;

import io.chatplatform.common.http.ApiException;
import java.util.function.Supplier;

/**
 * Redis could not be reached (or refused the command): the request is answered {@code 503 UNAVAILABLE} with
 * {@code Retry-After}, never 500, so clients retry instead of giving up.
 */
public final class RedisUnavailable extends ApiException {

    /** Seconds a client should wait before repeating the request. */
    public static final long RETRY_AFTER_SECONDS = 2;

    public RedisUnavailable(String message) {
        super(503, "UNAVAILABLE", message);
    }

    @Override
    public Long retryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }

    /** Runs a Redis call; any failure but an {@link ApiException} becomes {@link RedisUnavailable}. */
    public static <T> T guard(String message, Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RedisUnavailable(message);
        }
    }

    /** {@link #guard(String, Supplier)} for calls without a result. */
    public static void guard(String message, Runnable call) {
        guard(message, () -> {
            call.run();
            return null;
        });
    }
}

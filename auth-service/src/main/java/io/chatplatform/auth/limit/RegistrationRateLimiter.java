package io.chatplatform.auth.limit;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.common.http.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * At most {@code auth.register-limit.per-address} registration attempts per client address in a fixed window of
 * {@code auth.register-limit.window}; beyond that 429 {@code RATE_LIMITED} with {@code Retry-After} until the window
 * ends. Every attempt counts (a taken name costs a bcrypt hash too). Key {@code auth:register:addr:{address}}: one
 * key per script, so cluster-safe, and the hash tag spreads addresses over the slots.
 */
@ApplicationScoped
public class RegistrationRateLimiter {

    private static final String UNAVAILABLE = "registration is unavailable for a moment; try again";

    private final FixedWindowCounter counter;
    private final AuthConfig.RegisterLimit limit;

    public RegistrationRateLimiter(FixedWindowCounter counter, AuthConfig config) {
        this.counter = counter;
        this.limit = config.registerLimit();
    }

    /** Counts this attempt; throws 429 when it is over the limit. */
    public void acquire(String address) {
        if (limit.perAddress() <= 0) {
            return;
        }
        FixedWindowCounter.Window window = RedisUnavailable.guard(UNAVAILABLE,
                () -> counter.increment(key(address), limit.window()));
        if (window.count() > limit.perAddress()) {
            throw ApiException.rateLimited("too many registrations from your address; try again later", window.secondsLeft());
        }
    }

    static String key(String address) {
        return "auth:register:addr:{" + ClientAddress.limitKey(address) + "}";
    }
}

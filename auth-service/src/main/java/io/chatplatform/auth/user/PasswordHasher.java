package io.chatplatform.auth.user;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.common.http.ApiException;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * bcrypt password hashes (Modular Crypt Format), cost from config, on a bounded pool: at most
 * {@code auth.bcrypt.max-concurrent} (default: the available processors) run at once on the calling worker threads
 * (never the event loop: the resources that call this are blocking), at most {@code auth.bcrypt.max-waiting} callers
 * wait for a turn, each at most {@code auth.bcrypt.max-wait}. Beyond that the request is answered {@code 503
 * UNAVAILABLE} with {@code Retry-After}, so a login storm neither queues without bound nor takes every worker thread
 * the other endpoints need.
 */
@ApplicationScoped
public class PasswordHasher {

    /** Seconds a client waits before repeating a login or registration refused because bcrypt was saturated. */
    public static final long RETRY_AFTER_SECONDS = 1;

    private final int cost;
    /** Compared against when the user does not exist, so a miss costs as long as a wrong password. */
    private final String decoyHash;
    private final Semaphore turns;
    private final int maxInside;
    private final long maxWaitNanos;
    private final AtomicInteger inside = new AtomicInteger();

    public PasswordHasher(AuthConfig config) {
        this.cost = config.bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-never-matches", cost);
        int concurrent = Math.max(1, config.bcrypt().maxConcurrent().orElse(Runtime.getRuntime().availableProcessors()));
        this.turns = new Semaphore(concurrent, true);
        this.maxInside = concurrent + Math.max(0, config.bcrypt().maxWaiting());
        this.maxWaitNanos = config.bcrypt().maxWait().toNanos();
    }

    public String hash(String password) {
        return bounded(() -> BcryptUtil.bcryptHash(password, cost));
    }

    public boolean matches(String password, String hash) {
        return bounded(() -> BcryptUtil.matches(password, hash == null ? decoyHash : hash));
    }

    private <T> T bounded(Supplier<T> work) {
        if (inside.incrementAndGet() > maxInside) {
            inside.decrementAndGet();
            throw busy();
        }
        try {
            if (!turns.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                throw busy();
            }
            try {
                return work.get();
            } finally {
                turns.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } finally {
            inside.decrementAndGet();
        }
    }

    private static ApiException busy() {
        return ApiException.unavailable("too many logins or registrations at once; try again in a moment", RETRY_AFTER_SECONDS);
    }
}

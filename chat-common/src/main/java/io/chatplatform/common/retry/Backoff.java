package io.chatplatform.common.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one retry backoff of the platform: exponential from {@code initial}, doubling up to {@code max}, each delay
 * jittered into its upper half ([d/2, d]) so that instances retrying against the same store spread out. Safe to use
 * from several threads (callbacks of one retry loop may arrive on different event-loop threads).
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final AtomicLong nextMs;

    public Backoff(Duration initial, Duration max) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.nextMs = new AtomicLong(initialMs);
    }

    /** The delay before the next attempt, in milliseconds; each call doubles the one after it (up to max). */
    public long nextDelayMs() {
        long delay = nextMs.getAndUpdate(current -> Math.min(maxMs, current * 2));
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    public Duration nextDelay() {
        return Duration.ofMillis(nextDelayMs());
    }

    /** After a success: the next failure waits {@code initial} again. */
    public void reset() {
        nextMs.set(initialMs);
    }
}

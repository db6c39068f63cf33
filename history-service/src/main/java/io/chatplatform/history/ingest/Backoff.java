package io.chatplatform.history.ingest;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, from initial up to max. */
final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    Backoff(Duration initial, Duration max) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.nextMs = initialMs;
    }

    long nextDelayMs() {
        long delay = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    void reset() {
        nextMs = initialMs;
    }
}

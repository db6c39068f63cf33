package io.chatplatform.chat.session;

/**
 * Token bucket per connection: {@code perSecond} frames sustained with bursts of {@code burst}.
 * Used only from the connection's event-loop thread.
 */
final class FrameRateLimiter {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    FrameRateLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}

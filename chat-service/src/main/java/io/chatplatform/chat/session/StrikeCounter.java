package io.chatplatform.chat.session;

/** Counts offences in a sliding one-minute window (fixed buckets of one minute, good enough for abuse). */
final class StrikeCounter {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private final int limit;
    private long windowStart = System.nanoTime();
    private int count;

    StrikeCounter(int limit) {
        this.limit = limit;
    }

    /** @return true when this strike is one too many */
    synchronized boolean strike() {
        long now = System.nanoTime();
        if (now - windowStart > WINDOW_NANOS) {
            windowStart = now;
            count = 0;
        }
        return ++count > limit;
    }
}

package io.chatplatform.history.ingest;

/**
 * The stop request of one partition consumer: every wait of its loop (backoff, store retries) goes through
 * {@link #pause(long)}, which wakes at once on {@link #stop()} and unwinds the loop with {@link Stopped}.
 */
final class StopSignal {

    private final Object wakeUp = new Object();
    private volatile boolean running = true;

    boolean running() {
        return running;
    }

    void stop() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Sleeps, waking early on stop; throws {@link Stopped} when stopping. */
    void pause(long ms) {
        if (!running) {
            throw new Stopped();
        }
        synchronized (wakeUp) {
            try {
                if (running) {
                    wakeUp.wait(Math.max(1, ms));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
        if (!running) {
            throw new Stopped();
        }
    }

    /** Unwinds the loop on stop without acknowledging the batch in hand. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}

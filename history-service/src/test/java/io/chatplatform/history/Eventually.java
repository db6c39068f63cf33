package io.chatplatform.history;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or the time is up; a condition that throws counts as not holding yet. */
public final class Eventually {

    private Eventually() {
    }

    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        await(timeout, () -> what, condition);
    }

    public static void await(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) { // e.g. a store that is coming back: not yet
                last = e;
            }
            if (System.nanoTime() > deadline) {
                String detail;
                try {
                    detail = what.get();
                } catch (RuntimeException e) {
                    detail = "(description failed: " + e + ")";
                }
                throw new AssertionError("timed out after " + timeout + " waiting for: " + detail, last);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}

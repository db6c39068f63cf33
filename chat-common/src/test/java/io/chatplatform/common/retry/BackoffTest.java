package io.chatplatform.common.retry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheMaximumEachJitteredIntoItsUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(700));
        long[] ceilings = {100, 200, 400, 700, 700};
        for (long ceiling : ceilings) {
            long delay = backoff.nextDelayMs();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " within [" + ceiling / 2 + ", " + ceiling + "]");
        }
    }

    @Test
    void aResetStartsAgainFromTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
        for (int i = 0; i < 6; i++) {
            backoff.nextDelayMs();
        }
        backoff.reset();
        assertTrue(backoff.nextDelayMs() <= 100);
    }
}

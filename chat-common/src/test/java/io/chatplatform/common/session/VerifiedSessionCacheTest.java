package io.chatplatform.common.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedSessionCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void aConfirmedSessionIsTrustedForTheTtlOnlyAndOnlyForItsJti() {
        VerifiedSessionCache cache = new VerifiedSessionCache(Duration.ofNanos(100), 10, now::get);
        assertFalse(cache.isTrusted(1, "phone", "a"));
        cache.confirmed(1, "phone", "a");
        assertTrue(cache.isTrusted(1, "phone", "a"));
        assertFalse(cache.isTrusted(1, "phone", "b"));
        assertFalse(cache.isTrusted(1, "laptop", "a"));
        assertFalse(cache.isTrusted(2, "phone", "a"));
        now.addAndGet(99);
        assertTrue(cache.isTrusted(1, "phone", "a"), "hits do not extend, but it is still within the ttl");
        now.addAndGet(1);
        assertFalse(cache.isTrusted(1, "phone", "a"));
        assertEquals(0, cache.size(), "an expired entry met on lookup is removed");
    }

    @Test
    void forgetDropsTheEntry() {
        VerifiedSessionCache cache = new VerifiedSessionCache(Duration.ofSeconds(1), 10, now::get);
        cache.confirmed(1, "phone", "a");
        cache.forget(1, "phone");
        assertFalse(cache.isTrusted(1, "phone", "a"));
    }

    @Test
    void itNeverHoldsMoreThanItsBoundAndSweepsExpiredEntries() {
        VerifiedSessionCache cache = new VerifiedSessionCache(Duration.ofNanos(100), 3, now::get);
        for (int uid = 0; uid < 10; uid++) {
            cache.confirmed(uid, "d", "j");
        }
        assertEquals(3, cache.size());
        assertFalse(cache.isTrusted(5, "d", "j"), "not cached when full: Redis is asked");
        now.addAndGet(100);
        cache.confirmed(42, "d", "j");
        assertEquals(1, cache.size(), "expired entries were swept to make room");
        assertTrue(cache.isTrusted(42, "d", "j"));
    }

    @Test
    void zeroTtlDisablesIt() {
        VerifiedSessionCache cache = new VerifiedSessionCache(Duration.ZERO, 10, now::get);
        cache.confirmed(1, "phone", "a");
        assertFalse(cache.isTrusted(1, "phone", "a"));
        assertEquals(0, cache.size());
    }
}

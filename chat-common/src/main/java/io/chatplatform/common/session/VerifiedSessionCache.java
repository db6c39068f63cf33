package io.chatplatform.common.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Device sessions recently found current ({@code auth:sess:{uid}[did] == jti}), trusted for a short, fixed time.
 *
 * <p>Only positive results are kept, each for {@code ttl} from the moment Redis confirmed it (never extended by hits),
 * so a revocation applies everywhere within {@code ttl}. At most {@code maxEntries} entries: when full, expired entries
 * are swept (at most once per half {@code ttl}); if it is still full, new results are simply not cached. A
 * {@code ttl} of zero disables the cache.
 */
public final class VerifiedSessionCache {

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

    public VerifiedSessionCache(Duration ttl, int maxEntries) {
        this(ttl, maxEntries, System::nanoTime);
    }

    VerifiedSessionCache(Duration ttl, int maxEntries, LongSupplier clock) {
        if (ttl.isNegative() || maxEntries < 0) {
            throw new IllegalArgumentException("cache ttl and size must not be negative");
        }
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public boolean enabled() {
        return ttlNanos > 0 && maxEntries > 0;
    }

    /** Whether (uid, did, jti) was confirmed current less than {@code ttl} ago. */
    public boolean isTrusted(long uid, String deviceId, String jti) {
        if (!enabled()) {
            return false;
        }
        Key key = new Key(uid, deviceId);
        Entry entry = entries.get(key);
        if (entry == null) {
            return false;
        }
        if (clock.getAsLong() - entry.expiresAt() >= 0) {
            entries.remove(key, entry);
            return false;
        }
        return entry.jti().equals(jti);
    }

    /** Records that Redis just confirmed (uid, did, jti) current. */
    public void confirmed(long uid, String deviceId, String jti) {
        if (!enabled()) {
            return;
        }
        long now = clock.getAsLong();
        Key key = new Key(uid, deviceId);
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            sweep(now);
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        entries.put(key, new Entry(jti, now + ttlNanos));
    }

    /** Drops what is known about (uid, did): the session was just changed here. */
    public void forget(long uid, String deviceId) {
        if (deviceId != null) {
            entries.remove(new Key(uid, deviceId));
        }
    }

    public int size() {
        return entries.size();
    }

    private void sweep(long now) {
        long due = nextSweep.get();
        if (due != Long.MIN_VALUE && now - due < 0) {
            return;
        }
        if (!nextSweep.compareAndSet(due, now + Math.max(1, ttlNanos / 2))) {
            return;
        }
        entries.values().removeIf(entry -> now - entry.expiresAt() >= 0);
    }

    private record Key(long uid, String deviceId) {
    }

    private record Entry(String jti, long expiresAt) {
    }
}

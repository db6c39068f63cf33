package io.chatplatform.common.redis;

/**
 * A Redis stream entry id {@code <ms>-<seq>}; both parts are unsigned 64-bit numbers (kept in longs and
 * compared unsigned), so {@link #previous()} of {@code 5-0} is {@code 4-18446744073709551615}.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {

    public static final StreamId ZERO = new StreamId(0, 0);

    public static StreamId parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty stream id");
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            return new StreamId(Long.parseUnsignedLong(text), 0);
        }
        return new StreamId(Long.parseUnsignedLong(text.substring(0, dash)), Long.parseUnsignedLong(text.substring(dash + 1)));
    }

    /** The greatest id smaller than this one ({@link #ZERO} stays ZERO). */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        if (ms == 0) {
            return ZERO;
        }
        return new StreamId(ms - 1, -1L);
    }

    /** The smallest id greater than this one. */
    public StreamId next() {
        return seq == -1L ? new StreamId(ms + 1, 0) : new StreamId(ms, seq + 1);
    }

    public static StreamId min(StreamId a, StreamId b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public int compareTo(StreamId other) {
        int byMs = Long.compareUnsigned(ms, other.ms);
        return byMs != 0 ? byMs : Long.compareUnsigned(seq, other.seq);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}

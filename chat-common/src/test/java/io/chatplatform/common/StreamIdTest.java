package io.chatplatform.common;

import io.chatplatform.common.redis.StreamId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamIdTest {

    @Test
    void parsesComparesAndStepsBackUnsigned() {
        StreamId id = StreamId.parse("1700000000000-5");
        assertEquals("1700000000000-5", id.toString());
        assertEquals("1700000000000-4", id.previous().toString());
        assertEquals("1699999999999-18446744073709551615", StreamId.parse("1700000000000-0").previous().toString());
        assertEquals(StreamId.ZERO, StreamId.ZERO.previous());
        assertEquals(StreamId.parse("7-0"), StreamId.parse("7"));
        assertTrue(StreamId.parse("2-0").compareTo(StreamId.parse("1-18446744073709551615")) > 0, "unsigned seq");
        assertTrue(StreamId.parse("10-1").compareTo(StreamId.parse("9-3")) > 0, "numeric, not lexicographic");
        assertEquals(StreamId.parse("3-1"), StreamId.min(StreamId.parse("3-2"), StreamId.parse("3-1")));
        assertThrows(IllegalArgumentException.class, () -> StreamId.parse(""));
    }
}

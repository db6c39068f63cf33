package io.chatplatform.history.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chatplatform.common.http.ApiException;
import org.junit.jupiter.api.Test;

class KeysetCursorTest {

    @Test
    void roundTripsAndRejectsForeignTokens() {
        KeysetCursor cursor = new KeysetCursor(1_700_000_000_123L, "d.1.2");
        assertEquals(cursor, KeysetCursor.decode(cursor.encode()));
        assertNull(KeysetCursor.decode(null));
        assertNull(KeysetCursor.decode(""));
        for (String bad : new String[] {"%%%", "djE6", "djE6eHl6", "djI6MTpk", "x".repeat(300)}) {
            ApiException e = assertThrows(ApiException.class, () -> KeysetCursor.decode(bad), bad);
            assertEquals(400, e.status());
            assertEquals("INVALID_FIELD", e.code());
        }
    }
}

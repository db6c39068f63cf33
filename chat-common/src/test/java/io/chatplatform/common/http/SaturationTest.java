package io.chatplatform.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SaturationTest {

    @Test
    void aFullPoolAnywhereInTheCauseChainIs503WithRetryAfter() {
        ApiException busy = Saturation.of(new CompletionException(
                new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 24")));
        assertEquals(503, busy.status());
        assertEquals("UNAVAILABLE", busy.code());
        assertEquals(1L, busy.retryAfterSeconds());
        assertEquals(2L, Saturation.of(new IllegalStateException(new ConnectException("refused"))).retryAfterSeconds());
    }

    @Test
    void otherFailuresStay500() {
        assertNull(Saturation.of(new IllegalStateException("bug")));
        assertNull(Saturation.of(new NullPointerException()));
    }
}

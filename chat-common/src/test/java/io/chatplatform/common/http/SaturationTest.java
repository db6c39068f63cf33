package io.chatplatform.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
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
    void aDeadlockVictimOrAnExhaustedJdbcPoolIs503() {
        assertEquals(1L, Saturation.of(new IllegalStateException(new SQLTransactionRollbackException(
                "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213))).retryAfterSeconds());
        assertEquals(1L, Saturation.of(new IllegalStateException(new SQLException("Sorry, acquisition timeout!")))
                .retryAfterSeconds());
    }

    @Test
    void otherFailuresStay500() {
        assertNull(Saturation.of(new IllegalStateException(new SQLException("You have an error in your SQL syntax",
                "42000", 1064))));
        assertNull(Saturation.of(new IllegalStateException("bug")));
        assertNull(Saturation.of(new NullPointerException()));
    }
}

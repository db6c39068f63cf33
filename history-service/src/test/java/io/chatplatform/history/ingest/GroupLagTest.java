package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.history.TestLog;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lag gauges' numbers, on a real stream with undelivered and pending entries. */
@QuarkusTest
class GroupLagTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    @Test
    void countsUndeliveredAndPendingAndAgesTheOldest() throws Exception {
        LogStreams streams = new LogStreams(redis);
        String stream = TestLog.privateStream();
        try {
            long a = TestLog.newId();
            TestLog.append(raw, stream, TestLog.directMessages(a, a + 1, 1, 10));
            long before = System.currentTimeMillis();
            Thread.sleep(30);
            assertEquals(new GroupLag(10, 0, 0).entries(), GroupLag.of(streams, stream, "history", 1000, before).entries(),
                    "no group yet: everything is lag");

            streams.createGroup(stream, "history", StreamId.ZERO);
            List<LogEntry> read = streams.readGroup(stream, "history", "c1", ">", 4, null);
            assertEquals(4, read.size());
            long now = System.currentTimeMillis();
            GroupLag lag = GroupLag.of(streams, stream, "history", 1000, now);
            assertEquals(6, lag.entries(), "six not yet delivered");
            assertEquals(4, lag.pending(), "four delivered, not acknowledged");
            long oldestMs = StreamId.parse(read.get(0).id()).ms();
            assertEquals(now - oldestMs, lag.millis(), "age of the oldest pending entry");
            if (streams.groupInfo(stream, "history").orElseThrow().lag() == null) { // Redis < 7 counts with XRANGE
                assertEquals(3, GroupLag.of(streams, stream, "history", 3, now).entries(), "saturates at the scan limit");
            }

            streams.ack(stream, "history", read.stream().map(LogEntry::id).toList());
            streams.readGroup(stream, "history", "c1", ">", 100, null).forEach(e -> streams.ack(stream, "history", List.of(e.id())));
            GroupLag caughtUp = GroupLag.of(streams, stream, "history", 1000, System.currentTimeMillis());
            assertEquals(new GroupLag(0, 0, 0), caughtUp);
            assertTrue(oldestMs <= now);
        } finally {
            redis.key().del(stream);
        }
    }
}

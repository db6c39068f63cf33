package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** A second consumer takes over the pending entries of a dead one (XAUTOCLAIM after claim-idle). */
@QuarkusTest
@Tag("cluster")
class TakeoverTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;

    @Test
    void liveConsumerTakesOverWhatADeadOneHeld() throws Exception {
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        TestLog.append(raw, stream, TestLog.directMessages(a, b, 1, 1_200));
        try {
            PartitionConsumer dead = fx.start(stream, IngestFixture.settings("dead-one"), new IngestHooks() {
                @Override
                public void afterRead(String s, List<LogEntry> entries) {
                    throw new IngestFixture.Killed("right after reading");
                }
            });
            assertTrue(dead.awaitStop(10_000));
            assertEquals(500L, fx.pendingByConsumer(stream).get("dead-one"), "the dead consumer holds its batch");
            assertEquals(0, fx.messages(conv));

            // the survivor reads the rest with '>' and claims the dead one's entries once idle > 500 ms
            fx.start(stream, IngestFixture.settings("survivor").withClaim(Duration.ofMillis(500), Duration.ofMillis(100))
                    .withConsumerPruneIdle(Duration.ofMillis(1_500)));
            Eventually.await(Duration.ofSeconds(30), () -> "stored " + fx.messages(conv) + ", pending " + fx.pending(stream),
                    () -> fx.messages(conv) == 1_200 && fx.pending(stream) == 0);
            assertEquals(1_200, fx.seqs(conv).size());
            assertEquals(0L, fx.pendingByConsumer(stream).getOrDefault("dead-one", 0L));
            assertTrue(fx.deadLetters().isEmpty());
            // the dead consumer holds nothing any more and stays silent: it is removed from the group
            Eventually.await(Duration.ofSeconds(20), "dead consumer pruned", () -> fx.streams
                    .consumers(stream, IngestFixture.GROUP).stream().noneMatch(c -> c.name().equals("dead-one")));
            assertTrue(fx.streams.consumers(stream, IngestFixture.GROUP).stream().anyMatch(c -> c.name().equals("survivor")));
        } finally {
            fx.close(stream);
        }
    }
}

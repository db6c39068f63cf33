package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MongoDB in trouble without anything wrong with the entries: never a dead letter, never a takeover. */
@QuarkusTest
class StoreTroubleTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    /** A mongos whose shard is unreachable answers with per-document write errors: retried, not dead-lettered. */
    @Test
    void perDocumentErrorsThatAreNotAboutTheContentAreRetried() throws Exception {
        try (FaultyMongo mongo = new FaultyMongo()) {
            IngestFixture fx = new IngestFixture(redis, mongo.store);
            String stream = TestLog.privateStream();
            long a = TestLog.newId();
            long b = TestLog.newId();
            String conv = ConversationId.direct(a, b).value();
            mongo.insertErrorCode = FaultyMongo.SHARD_UNREACHABLE;
            try {
                PartitionConsumer c = fx.start(stream, IngestFixture.settings("shard-down"));
                TestLog.append(raw, stream, TestLog.directMessages(a, b, 1, 30));
                Eventually.await(Duration.ofSeconds(10), "the write failed and is being retried",
                        () -> fx.counter("history.ingest.store.failures") >= 3);
                assertEquals(PartitionConsumer.State.RETRYING, c.state());
                assertEquals(30, fx.pending(stream), "nothing acknowledged");
                assertTrue(fx.deadLetters().isEmpty(), "an unreachable shard is not bad content");
                assertTrue(fx.storedDeadLetters(stream).isEmpty());

                mongo.insertErrorCode = 0; // the shard is back
                Eventually.await(Duration.ofSeconds(10), "all stored", () -> fx.messages(conv) == 30 && fx.pending(stream) == 0);
                assertTrue(fx.deadLetters().isEmpty());
                assertEquals(30, fx.seqs(conv).size());
            } finally {
                fx.close(stream);
            }
        }
    }

    /**
     * A healthy consumer whose write takes longer than claim-idle keeps its batch: an idle consumer's XAUTOCLAIM
     * finds nothing to take over, and no delivery is counted.
     */
    @Test
    void aSlowWriteKeepsItsEntriesClaimed() throws Exception {
        try (FaultyMongo mongo = new FaultyMongo()) {
            IngestFixture fx = new IngestFixture(redis, mongo.store);
            String stream = TestLog.privateStream();
            long a = TestLog.newId();
            long b = TestLog.newId();
            String conv = ConversationId.direct(a, b).value();
            Duration claimIdle = Duration.ofMillis(600);
            mongo.insertDelayMs = 2_500;
            try {
                fx.start(stream, IngestFixture.settings("slow-writer").withClaim(claimIdle, Duration.ofSeconds(60)));
                TestLog.append(raw, stream, TestLog.directMessages(a, b, 1, 20));
                Eventually.await(Duration.ofSeconds(5), "the batch is in hand", () -> fx.pending(stream) == 20);
                long until = System.currentTimeMillis() + 1_800;
                while (System.currentTimeMillis() < until) {
                    LogStreams.Claimed stolen = fx.streams.autoClaim(stream, IngestFixture.GROUP, "idle-thief", claimIdle,
                            "0-0", 100);
                    assertTrue(stolen.entries().isEmpty(), "an idle consumer took over the entries of a slow, healthy one");
                    Thread.sleep(50);
                }
                List<PendingMessage> held = redis.stream(String.class).xpending(stream, IngestFixture.GROUP,
                        StreamRange.of("-", "+"), 100);
                for (PendingMessage p : held) {
                    assertEquals("slow-writer", p.getConsumer());
                    assertEquals(1, p.getDeliveryCount());
                }
                Eventually.await(Duration.ofSeconds(10), "stored", () -> fx.messages(conv) == 20 && fx.pending(stream) == 0);
                assertTrue(fx.deadLetters().isEmpty());
            } finally {
                fx.close(stream);
            }
        }
    }
}

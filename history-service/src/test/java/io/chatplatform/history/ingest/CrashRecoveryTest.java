package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * 10,000 events; the consumer is killed between insert and XACK, then again between read and insert, and
 * finally a consumer of another process finishes (taking the dead one's entries over): exactly 10,000
 * documents, nothing pending, cursor at the end of the stream.
 */
@QuarkusTest
@Tag("cluster")
class CrashRecoveryTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;

    @Test
    void tenThousandEventsLandExactlyOnceThroughKillsAndRestarts() throws Exception {
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        List<String> convs = new ArrayList<>();
        List<MessageEvent> events = new ArrayList<>();
        for (int c = 0; c < 4; c++) { // four conversations interleaved in one partition
            long a = TestLog.newId();
            long b = TestLog.newId();
            convs.add(ConversationId.direct(a, b).value());
            events.addAll(TestLog.directMessages(a, b, 1, 2_500));
        }
        List<MessageEvent> interleaved = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            for (int c = 0; c < 4; c++) {
                interleaved.add(events.get(c * 2_500 + i));
            }
        }
        TestLog.append(raw, stream, interleaved);
        try {
            // 1) killed after its 3rd batch is in MongoDB but before XACK
            AtomicInteger written = new AtomicInteger();
            PartitionConsumer first = fx.start(stream, IngestFixture.settings("proc-1"), new IngestHooks() {
                @Override
                public void afterWrite(String s, List<LogEntry> entries) {
                    if (written.incrementAndGet() == 3) {
                        throw new IngestFixture.Killed("between insert and XACK");
                    }
                }
            });
            assertTrue(first.awaitStop(30_000));
            assertEquals(PartitionConsumer.State.FAILED, first.state());
            assertEquals(1_500, total(fx, convs), "three batches were written");
            assertEquals(500, fx.pending(stream), "the written but unacknowledged batch stays pending");

            // 2) restarted under the same name: re-reads its own pending first, then killed after reading new
            //    entries but before writing them
            AtomicInteger reads = new AtomicInteger();
            PartitionConsumer second = fx.start(stream, IngestFixture.settings("proc-1"), new IngestHooks() {
                @Override
                public void afterRead(String s, List<LogEntry> entries) {
                    if (reads.incrementAndGet() == 4) {
                        throw new IngestFixture.Killed("between read and insert");
                    }
                }
            });
            assertTrue(second.awaitStop(30_000));
            assertEquals(PartitionConsumer.State.FAILED, second.state());
            // reads: own pending batch (replayed: already stored), two new batches, then the killed one
            assertEquals(2_500, total(fx, convs), "the replayed batch added nothing; two new batches were written");
            assertEquals(500, fx.pending(stream), "the batch read before the kill stays pending");

            // 3) another process (new consumer name) takes the dead consumer's pending entries over and finishes
            PartitionConsumer third = fx.start(stream, IngestFixture.settings("proc-2")
                    .withClaim(Duration.ofMillis(300), Duration.ofMillis(100)));
            Eventually.await(Duration.ofSeconds(60), () -> "all stored, got " + total(fx, convs) + ", pending "
                    + fx.pending(stream), () -> total(fx, convs) == 10_000 && fx.pending(stream) == 0);
            third.stop();
            assertTrue(third.awaitStop(10_000));

            assertEquals(10_000, total(fx, convs), "exactly one document per event");
            for (String conv : convs) {
                assertEquals(2_500, fx.seqs(conv).size());
                assertEquals(1L, fx.seqs(conv).first());
                assertEquals(2_500L, fx.seqs(conv).last());
            }
            assertEquals(0, fx.pending(stream), "nothing pending");
            assertTrue(fx.deadLetters().isEmpty(), "nothing dead-lettered");
            assertEquals(fx.lastId(stream), new IngestCursors(store).get(stream, IngestFixture.GROUP).orElseThrow().toString(),
                    "the durable cursor reached the end of the stream");
            assertTrue(fx.counter("history.ingest.messages.duplicate") >= 500, "the replayed batch counted as duplicates");
        } finally {
            fx.close(stream);
        }
    }

    private static long total(IngestFixture fx, List<String> convs) {
        long n = 0;
        for (String conv : convs) {
            n += fx.messages(conv);
        }
        return n;
    }
}

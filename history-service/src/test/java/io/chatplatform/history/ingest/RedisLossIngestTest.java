package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.redis.StreamId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.message.MessageDocument;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.localstack.EmbeddedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis loses its data in the middle of traffic (FLUSHALL on the test's Redis; a restart of a redis-server
 * without persistence) while a writer appends to the log the way chat-service does after a loss: it creates
 * the group {@code history} from 0 (or not), appends newer entries and re-appends the events it kept (same
 * msgId, same seq). Ingest resumes by itself; every message is stored exactly once with the seq it was sent
 * with; nothing is dead-lettered, neither by the test's consumers nor by the application's own.
 *
 * <p>Not a cluster test as a whole: FLUSHALL through the cluster client reaches one primary only, and the restart
 * case runs a standalone server of its own; the cursor case is tagged {@code cluster}.
 *
 * <p>FLUSHALL wipes the whole test Redis (the application's own partition streams and groups too, which must
 * recover as well); nothing else in this class depends on data written before it.
 */
@QuarkusTest
class RedisLossIngestTest {

    private static final int TOTAL = 6_000;
    /**
     * Events the writer keeps for re-appending. chat keeps what no group has consumed yet; the writer cannot know
     * that, so it keeps every event: however far history lags on a busy machine, nothing lost with Redis is
     * missing from the re-append (and most of what is re-appended is already stored: duplicates).
     */
    private static final int KEEP = TOTAL;

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;
    @Inject
    MeterRegistry appMeters;
    @Inject
    Vertx vertx;

    @Test
    void flushAllMidTrafficWithChatRecreatingTheGroupFromZero() throws Exception {
        runAcrossLoss(true, "FLUSHALL, chat creates the group");
    }

    @Test
    void flushAllMidTrafficWithTheStreamRecreatedByXaddAlone() throws Exception {
        runAcrossLoss(false, "FLUSHALL, history creates the group");
    }

    private void runAcrossLoss(boolean chatCreatesGroup, String label) throws Exception {
        double appDeadBefore = deadLettered(appMeters);
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        ChatLogWriter writer = new ChatLogWriter(raw, stream, users(4), TOTAL, 20, 5, KEEP, chatCreatesGroup);
        try {
            fx.start(stream, IngestFixture.settings("loss-a"));
            fx.start(stream, IngestFixture.settings("loss-b"));
            writer.start();
            Eventually.await(Duration.ofSeconds(30), "half sent", () -> writer.sentCount() >= TOTAL / 2);

            long flushedAt = System.nanoTime();
            redis.execute("FLUSHALL");
            writer.lossDetected();
            long resumeMs = awaitResume(writer, flushedAt);

            writer.join(60_000);
            assertNull(writer.failure, "writer failed: " + writer.failure);
            assertStoredExactlyOnce(fx, writer, stream);
            assertNoDeadLetters(fx, stream, appDeadBefore);
            report(label, writer, fx, resumeMs);
        } finally {
            fx.close(stream);
        }
    }

    /**
     * A redis-server without persistence is stopped and started again on the same port in the middle of traffic
     * (its own server, so the application's Redis stays up); the consumers' connections fail and come back.
     */
    @Test
    void redisRestartWithoutPersistenceMidTraffic() throws Exception {
        EmbeddedRedis server = EmbeddedRedis.builder().start();
        int port = server.port();
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri())
                .setMaxPoolSize(8).setMaxPoolWaiting(64));
        RedisDataSource ds = new BlockingRedisDataSourceImpl(vertx, client, RedisAPI.api(client), Duration.ofSeconds(10));
        IngestFixture fx = new IngestFixture(ds, store);
        String stream = TestLog.privateStream();
        ChatLogWriter writer = new ChatLogWriter(client, stream, users(4), TOTAL, 20, 5, KEEP, true);
        try {
            fx.start(stream, IngestFixture.settings("restart-a"));
            fx.start(stream, IngestFixture.settings("restart-b"));
            writer.start();
            Eventually.await(Duration.ofSeconds(30), "half sent", () -> writer.sentCount() >= TOTAL / 2);

            long stoppedAt = System.nanoTime();
            server.stop();
            server = EmbeddedRedis.builder().port(port).start();
            long downMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            writer.lossDetected();
            long resumeMs = awaitResume(writer, stoppedAt);

            writer.join(60_000);
            assertNull(writer.failure, "writer failed: " + writer.failure);
            assertStoredExactlyOnce(fx, writer, stream);
            assertEquals(0.0, fx.counter("history.ingest.dead.lettered"), "nothing dead-lettered");
            assertTrue(ds.stream(String.class).xlen(fx.deadLetterStream) == 0, "dead-letter stream empty");
            assertTrue(fx.storedDeadLetters(stream).isEmpty(), "no durable dead letter either");
            report("redis-server restart (down " + downMs + " ms)", writer, fx, resumeMs);
        } finally {
            try {
                fx.close(stream);
            } finally {
                client.close();
                server.stop();
            }
        }
    }

    /**
     * After a wipe the stream comes back with ids below history's durable cursor (a Redis restarted with its
     * clock behind, or entries written with explicit ids) and history, not chat, creates the group: it must
     * read the new stream from its start, not from the stale cursor. Then once more with ids far above it.
     */
    @Test
    @Tag("cluster") // only single-key commands on the shared client (no FLUSHALL, no server of its own)
    void streamThatReappearsBelowOrAboveTheCursorIsReadWhole() throws Exception {
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        IngestCursors cursors = new IngestCursors(store);
        try {
            fx.start(stream, IngestFixture.settings("below-cursor"));
            TestLog.append(raw, stream, TestLog.directMessages(a, b, 1, 300));
            String last = fx.lastId(stream);
            Eventually.await(Duration.ofSeconds(20), "first 300 and the cursor at the end",
                    () -> fx.messages(conv) == 300 && cursors.get(stream, IngestFixture.GROUP)
                            .map(id -> id.toString().equals(last)).orElse(false));
            StreamId cursor = StreamId.parse(last);

            redis.key().del(stream); // the stream and its group vanish (a wipe)
            appendWithIds(stream, TestLog.directMessages(a, b, 301, 600), cursor.ms() - 3_600_000L);
            Eventually.await(Duration.ofSeconds(20), () -> "new stream below the cursor: " + fx.messages(conv),
                    () -> fx.messages(conv) == 600 && fx.pending(stream) == 0);

            redis.key().del(stream);
            appendWithIds(stream, TestLog.directMessages(a, b, 601, 900), cursor.ms() + 86_400_000L);
            Eventually.await(Duration.ofSeconds(20), () -> "new stream above the cursor: " + fx.messages(conv),
                    () -> fx.messages(conv) == 900 && fx.pending(stream) == 0);

            assertEquals(900, fx.seqs(conv).size());
            assertEquals(0.0, fx.counter("history.ingest.dead.lettered"));
            assertTrue(fx.deadLetters().isEmpty());
            assertEquals(0.0, fx.meters.find("history.ingest.group.created").tag("from", "cursor").counters().stream()
                    .mapToDouble(c -> c.count()).sum(), "never created at the stale cursor");
        } finally {
            fx.close(stream);
        }
    }

    private void appendWithIds(String stream, List<MessageEvent> events, long ms) {
        List<Request> batch = new ArrayList<>();
        long seq = 0;
        for (MessageEvent e : events) {
            batch.add(Request.cmd(Command.XADD).arg(stream).arg(ms + "-" + seq++).arg("e")
                    .arg(io.chatplatform.common.event.StreamEventCodec.encode(e)));
        }
        raw.batchAndAwait(batch);
    }

    /** Waits until the first message appended after the loss is stored; returns the time since the loss. */
    private long awaitResume(ChatLogWriter writer, long lossAt) {
        Eventually.await(Duration.ofSeconds(30), "a message appended after the loss",
                () -> writer.firstAfterLoss != null);
        String msgId = writer.firstAfterLoss.msgId();
        Eventually.await(Duration.ofSeconds(30), "first message after the loss stored",
                () -> store.messages().countDocuments(Filters.eq(MessageDocument.ID, msgId)) == 1);
        return (System.nanoTime() - lossAt) / 1_000_000;
    }

    private void assertStoredExactlyOnce(IngestFixture fx, ChatLogWriter writer, String stream) {
        Eventually.await(Duration.ofSeconds(60), () -> "all " + writer.sent.size() + " stored: " + stored(fx, writer),
                () -> stored(fx, writer) == writer.sent.size() && fx.pending(stream) == 0);
        Map<String, Long> seqById = new HashMap<>();
        for (String conv : writer.convs()) {
            for (Document d : store.messages().find(Filters.eq(MessageDocument.CONV, conv))) {
                Long before = seqById.put(d.getString(MessageDocument.ID), ((Number) d.get(MessageDocument.SEQ)).longValue());
                assertNull(before, "stored twice: " + d.getString(MessageDocument.ID));
            }
        }
        assertEquals(writer.sent.size(), seqById.size(), "stored documents");
        for (MessageEvent m : writer.sent.values()) {
            assertEquals(m.seq(), seqById.get(m.msgId()), "seq of " + m.msgId() + " (" + m.conv() + ")");
        }
        for (String conv : writer.convs()) {
            assertEquals(fx.messages(conv), fx.seqs(conv).size(), "one document per seq in " + conv);
        }
        assertEquals((double) writer.sent.size(), fx.counter("history.ingest.messages.inserted"), "inserted once each");
        assertTrue(fx.counter("history.ingest.messages.duplicate") > 0, "the re-appended duplicates were seen as replays");
    }

    private void assertNoDeadLetters(IngestFixture fx, String stream, double appDeadBefore) {
        assertEquals(0.0, fx.counter("history.ingest.dead.lettered"), "test consumers dead-lettered nothing");
        assertTrue(fx.deadLetters().isEmpty(), "test dead-letter stream empty");
        assertTrue(fx.storedDeadLetters(stream).isEmpty(), "no durable dead letter either");
        assertEquals(0L, redis.stream(String.class).xlen("chat:dlq"), "chat:dlq empty");
        // the application's own consumers lost their groups too: they must not have dead-lettered anything
        assertEquals(appDeadBefore, deadLettered(appMeters), "application consumers dead-lettered nothing");
    }

    private static double deadLettered(MeterRegistry meters) {
        return meters.find("history.ingest.dead.lettered").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private long stored(IngestFixture fx, ChatLogWriter writer) {
        long n = 0;
        for (String conv : writer.convs()) {
            n += fx.messages(conv);
        }
        return n;
    }

    private void report(String label, ChatLogWriter writer, IngestFixture fx, long resumeMs) {
        System.out.printf("RedisLossIngestTest [%s]: sent %d, stored %d (inserted counter %d), re-appended duplicates %d, replays counted %.0f,"
                + " failed appends %d, first post-loss message stored %d ms after the loss%n", label, writer.sent.size(),
                stored(fx, writer), (long) fx.counter("history.ingest.messages.inserted"), writer.reappended,
                fx.counter("history.ingest.messages.duplicate"), writer.failedAppends, resumeMs);
    }

    private static long[] users(int conversations) {
        long[] users = new long[conversations * 2];
        for (int i = 0; i < users.length; i++) {
            users[i] = TestLog.newId();
        }
        return users;
    }
}

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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The Redis consumer group disappears (destroyed, or the stream deleted): recovery from the durable cursor. */
@QuarkusTest
@Tag("cluster")
class GroupLossTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;

    @Test
    void groupIsRecreatedFromTheDurableCursorWithoutGaps() throws Exception {
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        IngestCursors cursors = new IngestCursors(store);
        try {
            fx.start(stream, IngestFixture.settings("group-loss"));
            TestLog.append(raw, stream, TestLog.directMessages(a, b, 1, 1_000));
            Eventually.await(Duration.ofSeconds(20), "first 1000", () -> fx.messages(conv) == 1_000 && fx.pending(stream) == 0);
            String lastBeforeLoss = fx.lastId(stream);
            Eventually.await(Duration.ofSeconds(10), "cursor at the end",
                    () -> cursors.get(stream, IngestFixture.GROUP).map(id -> id.toString().equals(lastBeforeLoss)).orElse(false));

            // 1) the group is destroyed (like a Redis restored without it); the log keeps growing meanwhile
            redis.stream(String.class).xgroupDestroy(stream, IngestFixture.GROUP);
            TestLog.append(raw, stream, TestLog.directMessages(a, b, 1_001, 2_000));
            Eventually.await(Duration.ofSeconds(20), () -> "after group loss: " + fx.messages(conv),
                    () -> fx.messages(conv) == 2_000 && fx.pending(stream) == 0);
            assertEquals(0.0, fx.counter("history.ingest.messages.duplicate"),
                    "recreated at the cursor, not at 0: nothing before the cursor was delivered again");

            // 2) the whole stream is gone (Redis restarted empty) and chat writes new entries
            redis.key().del(stream);
            TestLog.append(raw, stream, TestLog.directMessages(a, b, 2_001, 2_500));
            Eventually.await(Duration.ofSeconds(20), () -> "after stream loss: " + fx.messages(conv),
                    () -> fx.messages(conv) == 2_500 && fx.pending(stream) == 0);

            TreeSet<Long> seqs = fx.seqs(conv);
            assertEquals(2_500, seqs.size());
            assertEquals(1L, seqs.first());
            assertEquals(2_500L, seqs.last(), "no gap");
            assertTrue(fx.deadLetters().isEmpty());
        } finally {
            fx.close(stream);
        }
    }
}

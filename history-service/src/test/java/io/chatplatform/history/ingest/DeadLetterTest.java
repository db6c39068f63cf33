package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Poison goes to the dead-letter stream at once; entries that keep killing consumers after max-deliveries. */
@QuarkusTest
class DeadLetterTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;

    @Test
    void poisonIsDeadLetteredAtOnceAndLaterEntriesStillLand() throws Exception {
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        List<MessageEvent> messages = TestLog.directMessages(a, b, 1, 6);
        String notJson = "this is {not json";
        String badConv = "{\"v\":1,\"type\":\"message\",\"msgId\":\"x1\",\"conv\":\"nonsense\",\"seq\":1,\"from\":1,\"ts\":1}";
        String wrongShape = "{\"v\":1,\"type\":\"message\",\"msgId\":\"x2\",\"conv\":\"" + conv + "\",\"seq\":\"abc\"}";
        String future = "{\"v\":1,\"type\":\"reaction\",\"conv\":\"" + conv + "\",\"emoji\":\"+1\"}";
        List<String> entries = new ArrayList<>();
        entries.add(io.chatplatform.common.event.StreamEventCodec.encode(messages.get(0)));
        entries.add(notJson);
        entries.add(io.chatplatform.common.event.StreamEventCodec.encode(messages.get(1)));
        entries.add(badConv);
        entries.add(io.chatplatform.common.event.StreamEventCodec.encode(messages.get(2)));
        entries.add(wrongShape);
        entries.add(future);
        for (MessageEvent m : messages.subList(3, 6)) {
            entries.add(io.chatplatform.common.event.StreamEventCodec.encode(m));
        }
        TestLog.appendRaw(raw, stream, entries);
        try {
            fx.start(stream, IngestFixture.settings("poison-test").withBatchSize(3));
            Eventually.await(Duration.ofSeconds(20), "all valid messages stored and nothing pending",
                    () -> fx.messages(conv) == 6 && fx.pending(stream) == 0);
            List<StreamMessage<String, String, String>> dead = fx.deadLetters();
            assertEquals(3, dead.size(), "three poison entries, the unknown type is skipped, not dead-lettered");
            assertEquals(List.of(notJson, badConv, wrongShape), dead.stream().map(d -> d.payload().get("e")).toList(),
                    "original field kept");
            for (StreamMessage<String, String, String> d : dead) {
                assertEquals(DeadLetters.MALFORMED, d.payload().get("kind"));
                assertEquals(stream, d.payload().get("stream"));
                assertEquals("1", d.payload().get("deliveries"));
                assertFalse(d.payload().get("reason").isBlank());
            }
            assertEquals(3.0, fx.counter("history.ingest.dead.lettered"));
            List<org.bson.Document> durable = fx.storedDeadLetters(stream);
            assertEquals(List.of(notJson, badConv, wrongShape), durable.stream().map(d -> d.getString("e")).toList(),
                    "durable copies in MongoDB, which survive a Redis loss");
            assertEquals(DeadLetters.MALFORMED, durable.get(0).getString("kind"));
        } finally {
            fx.close(stream);
        }
    }

    @Test
    void anEntryThatKeepsKillingConsumersIsDeadLetteredAfterMaxDeliveries() throws Exception {
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        List<MessageEvent> messages = TestLog.directMessages(a, b, 1, 5);
        String killer = messages.get(2).msgId();
        TestLog.append(raw, stream, messages);
        ConsumerSettings settings = IngestFixture.settings("restarted").withBatchSize(1).withMaxDeliveries(2);
        try {
            // deliveries 1 and 2 die in the write; the 3rd (> max) is tried alone and dies; the 4th finds it marked
            int deaths = fx.runUntil(stream, settings, killer, () -> fx.messages(conv) == 4 && fx.pending(stream) == 0,
                    Duration.ofSeconds(30));
            assertEquals(3, deaths);
            List<StreamMessage<String, String, String>> dead = fx.deadLetters();
            assertEquals(1, dead.size());
            assertEquals(DeadLetters.MAX_DELIVERIES, dead.get(0).payload().get("kind"));
            assertEquals("4", dead.get(0).payload().get("deliveries"));
            assertTrue(dead.get(0).payload().get("e").contains(killer));
            assertFalse(fx.seqs(conv).contains(3L), "the dead-lettered message is not stored");
        } finally {
            fx.close(stream);
        }
    }

    /**
     * One entry that kills the consumer in a batch of 50: its 49 batch-mates share its delivery count, yet only
     * the killer is dead-lettered and the others are stored once (before: all 50 dead-lettered).
     */
    @Test
    void onlyTheEntryThatFailsIsDeadLetteredNotItsWholeBatch() throws Exception {
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        List<MessageEvent> messages = TestLog.directMessages(a, b, 1, 50);
        String killer = messages.get(20).msgId();
        TestLog.append(raw, stream, messages);
        ConsumerSettings settings = IngestFixture.settings("batch-of-50").withBatchSize(50).withMaxDeliveries(2);
        try {
            int deaths = fx.runUntil(stream, settings, killer, () -> !fx.deadLetters().isEmpty() && fx.pending(stream) == 0,
                    Duration.ofSeconds(30));
            List<StreamMessage<String, String, String>> dead = fx.deadLetters();
            assertEquals(1, dead.size(), "only the killer, not its batch-mates");
            assertEquals(3, deaths, "twice in the batch, once alone");
            assertTrue(dead.get(0).payload().get("e").contains(killer));
            assertEquals(DeadLetters.MAX_DELIVERIES, dead.get(0).payload().get("kind"));
            assertTrue(dead.get(0).payload().get("reason").contains("alone"), dead.get(0).payload().get("reason"));
            assertEquals(1, fx.storedDeadLetters(stream).size());
            assertEquals(49, fx.messages(conv));
            assertFalse(fx.seqs(conv).contains(21L));
            assertEquals(49.0, fx.counter("history.ingest.messages.inserted"), "each healthy entry stored once");
            assertEquals(0.0, fx.counter("history.ingest.messages.duplicate"));
            assertEquals(0, store.ingestSuspects().countDocuments(com.mongodb.client.model.Filters.eq("stream", stream)),
                    "no suspect mark left behind");
        } finally {
            fx.close(stream);
        }
    }
}

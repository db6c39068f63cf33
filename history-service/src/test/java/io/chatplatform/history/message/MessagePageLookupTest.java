package io.chatplatform.history.message;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.TestUsers;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Pages below a seq are fetched as exact {@code convSeq} lookups when those seqs are all stored, and by the range
 * query otherwise: gaps in the seqs and documents stored before {@code convSeq} existed give the same pages.
 */
@QuarkusTest
class MessagePageLookupTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;

    @Test
    void pagesAroundGapsAreTheRangeQuerysPages() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        TestUsers.User alice = users.login(a);
        List<MessageEvent> log = new ArrayList<>(TestLog.directMessages(a, b, 1, 120));
        log.removeIf(m -> m.seq() == 70 || m.seq() == 100); // never stored (e.g. dead-lettered)
        TestLog.append(raw, TestLog.streamOf(conv), log);
        Eventually.await(Duration.ofSeconds(30), "118 ingested", () -> store.messages().countDocuments(Filters.eq("conv", conv)) == 118);
        Document stored = store.messages().find(Filters.eq("conv", conv)).first();
        assertEquals(MessageDocument.convSeq(conv, ((Number) stored.get("seq")).longValue()), stored.getString(MessageDocument.CONV_SEQ));

        JsonPath top = page(alice, conv, "before=121&limit=10");
        assertEquals(range(111, 120), seqs(top));
        assertEquals(111L, top.getLong("nextBefore"));

        JsonPath acrossGap = page(alice, conv, "before=105&limit=10");
        assertEquals(List.of(94L, 95L, 96L, 97L, 98L, 99L, 101L, 102L, 103L, 104L), seqs(acrossGap));
        assertEquals(94L, acrossGap.getLong("nextBefore"));

        JsonPath belowGap = page(alice, conv, "before=100&limit=29");
        assertEquals(List.of(71L), seqs(belowGap).subList(0, 1), "the 29 stored seqs below 100 start at 71");
        assertEquals(29, seqs(belowGap).size());
        assertEquals(71L, belowGap.getLong("nextBefore"));
        JsonPath justBelowGap = page(alice, conv, "before=100&limit=30");
        assertEquals(range(69, 99).stream().filter(s -> s != 70).toList(), seqs(justBelowGap));
        assertEquals(69L, justBelowGap.getLong("nextBefore"));

        JsonPath second = page(alice, conv, "before=12&limit=10");
        assertEquals(range(2, 11), seqs(second));
        assertEquals(2L, second.getLong("nextBefore"));
        JsonPath first = page(alice, conv, "before=11&limit=10");
        assertEquals(range(1, 10), seqs(first));
        assertNull(first.get("nextBefore"), "nothing below seq 1");
        JsonPath few = page(alice, conv, "before=5&limit=10");
        assertEquals(range(1, 4), seqs(few));
        assertNull(few.get("nextBefore"));
        assertTrue(seqs(page(alice, conv, "before=1")).isEmpty());
        assertEquals(List.of(119L, 120L), seqs(page(alice, conv, "before=1000&limit=2")), "above the top: the range query");
    }

    @Test
    void documentsWithoutConvSeqArePagedByTheRangeQuery() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        TestUsers.User bob = users.login(b);
        List<Document> legacy = new ArrayList<>();
        for (MessageEvent m : TestLog.directMessages(a, b, 1, 30)) {
            Document d = MessageDocument.of(m);
            d.remove(MessageDocument.CONV_SEQ); // as stored before the field existed
            legacy.add(d);
        }
        store.messages().insertMany(legacy);
        TestLog.append(raw, TestLog.streamOf(conv), TestLog.directMessages(a, b, 31, 60));
        Eventually.await(Duration.ofSeconds(30), "60 stored", () -> store.messages().countDocuments(Filters.eq("conv", conv)) == 60);
        assertFalse(store.messages().find(Filters.and(Filters.eq("conv", conv), Filters.eq("seq", 30L))).first()
                .containsKey(MessageDocument.CONV_SEQ));

        JsonPath newer = page(bob, conv, "before=61&limit=10");
        assertEquals(range(51, 60), seqs(newer));
        assertEquals(51L, newer.getLong("nextBefore"));
        JsonPath mixed = page(bob, conv, "before=36&limit=10");
        assertEquals(range(26, 35), seqs(mixed));
        assertEquals(26L, mixed.getLong("nextBefore"));
        JsonPath old = page(bob, conv, "before=31&limit=10");
        assertEquals(range(21, 30), seqs(old));
        assertEquals(21L, old.getLong("nextBefore"));
        assertEquals("message 25", old.getString("items[4].body"));
        JsonPath oldest = page(bob, conv, "before=11&limit=10");
        assertEquals(range(1, 10), seqs(oldest));
        assertNull(oldest.get("nextBefore"));
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static JsonPath page(TestUsers.User user, String conv, String query) {
        return user.api().get("/history/conversations/" + conv + "/messages?" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    private static List<Long> seqs(JsonPath page) {
        List<Long> seqs = new ArrayList<>();
        for (Object s : page.getList("items.seq")) {
            seqs.add(((Number) s).longValue());
        }
        return seqs;
    }
}

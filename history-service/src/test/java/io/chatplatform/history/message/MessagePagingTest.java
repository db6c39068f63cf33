package io.chatplatform.history.message;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** Keyset paging over 10,000 messages while new ones keep arriving: never a duplicate, never a gap. */
@QuarkusTest
@Tag("cluster")
class MessagePagingTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;

    @Test
    void pagingBackAndForwardWhileMessagesArrive() throws Exception {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        TestUsers.User alice = users.login(a);
        TestLog.append(raw, TestLog.streamOf(conv), TestLog.directMessages(a, b, 1, 10_000));
        Eventually.await(Duration.ofSeconds(60), "10,000 ingested",
                () -> store.messages().countDocuments(Filters.eq("conv", conv)) == 10_000);

        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (long first = 10_001; first <= 11_000; first += 50) {
                    TestLog.append(raw, TestLog.streamOf(conv), TestLog.directMessages(a, b, first, first + 49));
                    Thread.sleep(20);
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "test-producer");
        producer.start();

        // backwards from the newest page, 200 at a time
        Set<Long> seen = new HashSet<>();
        JsonPath page = page(alice, conv, "limit=200");
        List<Long> items = seqs(page);
        long top = items.get(items.size() - 1);
        assertTrue(top >= 10_000);
        collect(seen, items);
        int pages = 1;
        while (page.get("nextBefore") != null) {
            long before = page.getLong("nextBefore");
            assertEquals(items.get(0), before, "nextBefore is the lowest seq of the page");
            page = page(alice, conv, "before=" + before + "&limit=200");
            items = seqs(page);
            assertEquals(before - 1, items.get(items.size() - 1), "the next page ends right below the previous one");
            collect(seen, items);
            pages++;
        }
        assertEquals(top, seen.size(), "every seq from 1 to the top exactly once");
        assertEquals(1L, items.get(0));
        assertTrue(pages >= 50);

        // forwards from the top while the rest arrives, like a client syncing after a reconnect
        long after = top;
        long deadline = System.currentTimeMillis() + 60_000;
        while (after < 11_000) {
            assertTrue(System.currentTimeMillis() < deadline, "forward sync stuck at " + after);
            JsonPath forward = page(alice, conv, "after=" + after + "&limit=150");
            List<Long> got = seqs(forward);
            if (got.isEmpty()) {
                assertNull(forward.get("nextAfter"));
                Thread.sleep(50);
                continue;
            }
            assertEquals(after + 1, got.get(0), "no gap after " + after);
            collect(seen, got);
            after = got.get(got.size() - 1);
            if (forward.get("nextAfter") != null) {
                assertEquals(after, forward.getLong("nextAfter"), "nextAfter is the highest seq of the page");
            }
        }
        producer.join(30_000);
        assertNull(producerFailure.get());
        assertEquals(11_000, seen.size());
        assertNull(page(alice, conv, "after=11000").get("nextAfter"));
        assertTrue(seqs(page(alice, conv, "after=11000")).isEmpty());
    }

    @Test
    void pagesAreShapedLikeTheMessageFrame() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        TestUsers.User bob = users.login(b);
        TestLog.append(raw, TestLog.streamOf(conv), TestLog.directMessages(a, b, 1, 5));
        io.chatplatform.common.event.MessageEvent image = new io.chatplatform.common.event.MessageEvent(1, "message",
                "img-" + a, conv, 6, a, "phone", "USER", "image", null,
                new io.chatplatform.common.event.Media("https://cdn/x.png", "image/png", 1234L, "x.png", 10, 20, null),
                1_700_000_000_000L, List.of(a, b));
        TestLog.append(raw, image);
        Eventually.await(Duration.ofSeconds(20), "6 ingested", () -> store.messages().countDocuments(Filters.eq("conv", conv)) == 6);

        JsonPath newest = page(bob, conv, "limit=2");
        assertEquals(List.of(5L, 6L), seqs(newest));
        assertEquals(5L, newest.getLong("nextBefore"));
        assertNull(newest.get("nextAfter"));
        assertEquals("message", newest.getString("items[1].type"));
        assertEquals("img-" + a, newest.getString("items[1].msgId"));
        assertEquals(conv, newest.getString("items[1].conv"));
        assertEquals(a, newest.getLong("items[1].from"));
        assertEquals("phone", newest.getString("items[1].fromDevice"));
        assertEquals("USER", newest.getString("items[1].senderType"));
        assertEquals("image", newest.getString("items[1].kind"));
        assertEquals("https://cdn/x.png", newest.getString("items[1].media.url"));
        assertEquals(1234, newest.getInt("items[1].media.size"));
        assertFalse(newest.getMap("items[1]").containsKey("body"));
        assertEquals(1_700_000_000_000L, newest.getLong("items[1].ts"));
        assertEquals("message 5", newest.getString("items[0].body"));

        JsonPath forward = page(bob, conv, "after=1&limit=3");
        assertEquals(List.of(2L, 3L, 4L), seqs(forward));
        assertEquals(4L, forward.getLong("nextAfter"));
        assertNull(forward.get("nextBefore"));
        JsonPath oldest = page(bob, conv, "before=3");
        assertEquals(List.of(1L, 2L), seqs(oldest));
        assertNull(oldest.get("nextBefore"));
        assertEquals(1, seqs(page(bob, conv, "limit=0")).size(), "limit is clamped to at least 1");
        assertEquals(6, seqs(page(bob, conv, "limit=100000")).size(), "and to at most max-limit");
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
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "items ascending without gaps: " + seqs);
        }
        return seqs;
    }

    private static void collect(Set<Long> seen, List<Long> items) {
        for (Long s : items) {
            assertTrue(seen.add(s), "duplicate seq " + s);
        }
    }
}

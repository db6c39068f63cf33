package io.chatplatform.history.conversation;

import io.chatplatform.common.conversation.ConversationId;
import static io.chatplatform.history.TestLog.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.TestUsers;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Unread counts are counted from the stored messages, so a seq jump (chat allocates seq blocks from a durable
 * store; after a Redis loss a conversation's seq may skip ~100 unused values) does not count as unread, and they
 * stop at {@code history.api.unread-cap} (999).
 */
@QuarkusTest
@Tag("cluster")
class UnreadGapTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    @Test
    void aSeqGapDoesNotCountAsUnread() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        TestUsers.User alice = users.login(a);
        String conv = ConversationId.direct(a, b).value();
        List<StreamEvent> events = new ArrayList<>();
        for (long seq = 1; seq <= 5; seq++) {
            events.add(message(conv, seq, b, "before " + seq, List.of(a, b)));
        }
        for (long seq = 106; seq <= 110; seq++) { // chat's seq jumped by 100 after a Redis loss
            events.add(message(conv, seq, b, "after " + seq, List.of(a, b)));
        }
        TestLog.append(raw, TestLog.streamOf(conv), events);
        Eventually.await(Duration.ofSeconds(20), "all ten stored", () -> Integer.valueOf(110).equals(item(alice, conv).get("lastSeq")));
        assertEquals(10, item(alice, conv).get("unread"), "ten messages, not 110 seqs");

        TestLog.append(raw, TestLog.read(conv, a, 3));
        Eventually.await(Duration.ofSeconds(20), "read marker 3", () -> Integer.valueOf(3).equals(item(alice, conv).get("readSeq")));
        assertEquals(7, item(alice, conv).get("unread"), "2 before the gap + 5 after it, not 107");

        TestLog.append(raw, TestLog.read(conv, a, 50)); // a client may mark read inside the gap
        Eventually.await(Duration.ofSeconds(20), "read marker 50", () -> Integer.valueOf(50).equals(item(alice, conv).get("readSeq")));
        assertEquals(5, item(alice, conv).get("unread"));
    }

    @Test
    void unreadStopsAtTheCapAndStaysExactBelowItAcrossAGap() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        TestUsers.User alice = users.login(a);
        String conv = ConversationId.direct(a, b).value();
        List<StreamEvent> events = new ArrayList<>();
        for (long seq = 1; seq <= 1_000; seq++) {
            events.add(message(conv, seq, b, "m " + seq, List.of(a, b)));
        }
        for (long seq = 1_101; seq <= 1_200; seq++) {
            events.add(message(conv, seq, b, "m " + seq, List.of(a, b)));
        }
        TestLog.append(raw, TestLog.streamOf(conv), events);
        Eventually.await(Duration.ofSeconds(30), "1,100 stored", () -> Integer.valueOf(1_200).equals(item(alice, conv).get("lastSeq")));
        assertEquals(999, item(alice, conv).get("unread"), "1,100 unread messages report the cap");

        TestLog.append(raw, TestLog.read(conv, a, 950));
        Eventually.await(Duration.ofSeconds(20), "read marker 950", () -> Integer.valueOf(950).equals(item(alice, conv).get("readSeq")));
        assertEquals(150, item(alice, conv).get("unread"), "50 below the gap + 100 above it");

        TestLog.append(raw, TestLog.read(conv, a, 1_150));
        Eventually.await(Duration.ofSeconds(20), "read marker 1150", () -> Integer.valueOf(1_150).equals(item(alice, conv).get("readSeq")));
        assertEquals(50, item(alice, conv).get("unread"));
    }

    private static Map<String, Object> item(TestUsers.User user, String conv) {
        JsonPath page = user.api().get("/history/conversations").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        return items.stream().filter(i -> conv.equals(i.get("conv"))).findFirst().orElse(Map.of());
    }
}

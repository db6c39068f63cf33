package io.chatplatform.history.conversation;

import io.chatplatform.common.conversation.ConversationId;
import static io.chatplatform.history.TestLog.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** My conversations: direct, group (via user:{uid}:groups) and desk; unread counts, read markers, paging. */
@QuarkusTest
@Tag("cluster")
class ConversationListTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    @Test
    void listNewestFirstWithUnreadCountsThatFollowReadEvents() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        long c = TestLog.newId();
        long agent = TestLog.newId();
        long gid = TestLog.newId();
        users.joinGroup(gid, a, b, c);
        TestUsers.User alice = users.login(a);
        TestUsers.User bob = users.login(b);
        TestUsers.User carol = users.login(c);
        TestUsers.User nobody = users.login(TestLog.newId());

        long t = System.currentTimeMillis();
        String direct = ConversationId.direct(a, b).value();
        String group = "g." + gid;
        String desk = "c." + TestLog.newId();
        String longText = "x".repeat(150);
        TestLog.append(raw,
                message(direct, 1, a, "hi", List.of(a, b), t + 1),
                message(direct, 2, b, "hello", List.of(a, b), t + 2),
                message(direct, 3, a, longText, List.of(a, b), t + 3));
        for (int seq = 1; seq <= 5; seq++) {
            TestLog.append(raw, message(group, seq, c, "group " + seq, null, t + 10 + seq));
        }
        TestLog.append(raw,
                TestLog.desk(desk, "opened", "WAITING", a, null, a, null, "refund", t + 20),
                TestLog.desk(desk, "grabbed", "SERVING", a, agent, agent, null, null, t + 21),
                message(desk, 1, a, "my order", List.of(a, agent), t + 22));

        Eventually.await(Duration.ofSeconds(20), "alice sees three conversations", () -> convs(alice).size() == 3
                && item(alice, desk).get("lastSeq").equals(1) && item(alice, group).get("lastSeq").equals(5)
                && item(alice, direct).get("lastSeq").equals(3));

        assertEquals(List.of(desk, group, direct), convs(alice), "newest activity first");
        Map<String, Object> d = item(alice, direct);
        assertEquals(3, d.get("readSeq"), "own message: read");
        assertEquals(0, d.get("unread"));
        @SuppressWarnings("unchecked")
        Map<String, Object> preview = (Map<String, Object>) d.get("lastMessage");
        assertEquals(3, preview.get("seq"));
        assertEquals(100, ((String) preview.get("text")).length(), "preview cut to 100 characters");
        assertEquals(t + 3, ((Number) d.get("updatedAt")).longValue());
        assertEquals(5, item(alice, group).get("unread"));
        assertEquals(0, item(alice, desk).get("unread"));

        assertEquals(List.of(group, direct), convs(bob), "bob is not in the desk ticket");
        assertEquals(2, item(bob, direct).get("readSeq"));
        assertEquals(1, item(bob, direct).get("unread"));
        assertEquals(0, item(carol, group).get("unread"), "carol wrote everything in the group");
        assertTrue(convs(nobody).isEmpty());

        // alice reads the group up to 4; a late, older read event does not move the marker back
        TestLog.append(raw, TestLog.read(group, a, 4, t + 30), TestLog.read(group, a, 2, t + 31),
                TestLog.read(direct, b, 3, t + 32));
        Eventually.await(Duration.ofSeconds(20), "read markers applied",
                () -> item(alice, group).get("unread").equals(1) && item(bob, direct).get("unread").equals(0));
        assertEquals(4, item(alice, group).get("readSeq"));
        assertEquals(List.of(desk, group, direct), convs(alice), "reading is not activity");

        // keyset paging, one per page
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = alice.api().queryParam("limit", 1).queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/history/conversations").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items.conv"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(List.of(desk, group, direct), paged);

        // leaving a group (auth removes the mirror) removes it from the list
        redis.set(String.class).srem(io.chatplatform.common.session.GroupKeys.groupsOf(b), String.valueOf(gid));
        assertEquals(List.of(direct), convs(bob));
    }

    private static List<String> convs(TestUsers.User user) {
        JsonPath page = user.api().get("/history/conversations").then().statusCode(200).extract().jsonPath();
        assertNull(page.get("nextCursor"));
        return page.getList("items.conv");
    }

    private static Map<String, Object> item(TestUsers.User user, String conv) {
        JsonPath page = user.api().get("/history/conversations").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        return items.stream().filter(i -> conv.equals(i.get("conv"))).findFirst().orElse(Map.of());
    }
}

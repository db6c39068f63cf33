package io.chatplatform.history.search;

import static io.chatplatform.history.TestLog.message;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.common.session.GroupKeys;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** GET /history/search over stored messages: scripts, folding, highlights, who finds what, paging, bad input. */
@QuarkusTest
@Tag("cluster")
class SearchTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    @Test
    void findsChineseJapaneseKoreanBySubstringAndOtherWordsByPrefixIgnoringCaseAndAccents() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        TestUsers.User alice = users.login(a);
        String conv = ConversationId.direct(a, b).value();
        long t = System.currentTimeMillis();
        TestLog.append(raw,
                message(conv, 1, a, "你好世界", List.of(a, b), t + 1),
                message(conv, 2, b, "東京タワーに行きました", List.of(a, b), t + 2),
                message(conv, 3, a, "안녕하세요 여러분", List.of(a, b), t + 3),
                message(conv, 4, b, "Crème Brûlée at the CAFÉ tomorrow", List.of(a, b), t + 4),
                message(conv, 5, a, "nothing to see", List.of(a, b), t + 5));
        Eventually.await(Duration.ofSeconds(20), "stored", () -> bodies(search(alice, "nothing")).size() == 1);

        assertEquals(List.of("你好世界"), bodies(search(alice, "世界")));
        assertEquals(List.of("東京タワーに行きました"), bodies(search(alice, "タワー")));
        assertEquals(List.of("안녕하세요 여러분"), bodies(search(alice, "하세요")));
        assertEquals(List.of("Crème Brûlée at the CAFÉ tomorrow"), bodies(search(alice, "creme BRUL cafe")));
        assertEquals(List.of(), bodies(search(alice, "世和")), "characters apart do not match");
        assertEquals(List.of(), bodies(search(alice, "morrow")), "a word prefix, not any part of a word");

        JsonPath hit = search(alice, "cafe tom");
        assertEquals(List.of(List.of(20, 24), List.of(25, 28)), hit.getList("items[0].highlights"));
        assertEquals(conv, hit.getString("items[0].conv"));
        assertEquals(4, hit.getInt("items[0].seq"));
        assertEquals(b, hit.getLong("items[0].from"));
        assertEquals(t + 4, hit.getLong("items[0].ts"));
        assertTrue(hit.getString("items[0].msgId").length() > 10);

        JsonPath inConv = alice.api().queryParam("q", "世界").queryParam("conv", conv).get("/history/search").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("你好世界"), bodies(inConv));
    }

    @Test
    void onlyConversationsICanReadNowAndNewestFirstPagesWithACursor() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        long stranger = TestLog.newId();
        long gid = TestLog.newId();
        users.joinGroup(gid, a, b);
        TestUsers.User alice = users.login(a);
        TestUsers.User bob = users.login(b);
        TestUsers.User outsider = users.login(stranger);
        String word = "zebra" + TestLog.newId();
        String group = "g." + gid;
        String direct = ConversationId.direct(a, b).value();
        String desk = "c." + TestLog.newId();
        long t = System.currentTimeMillis();
        List<String> expected = new ArrayList<>();
        for (int seq = 1; seq <= 5; seq++) {
            TestLog.append(raw, message(group, seq, b, word + " in the group " + seq, null, t + seq));
            expected.add(0, word + " in the group " + seq);
        }
        TestLog.append(raw, message(direct, 1, a, word + " direct", List.of(a, b), t + 10));
        expected.add(0, word + " direct");
        long agentId = TestLog.newId();
        TestUsers.User agent = users.login(agentId, "AGENT");
        TestLog.append(raw,
                TestLog.desk(desk, "opened", "WAITING", stranger, null, stranger, null, "help", t + 20),
                message(desk, 1, stranger, word + " in someone else's ticket", List.of(stranger), t + 21),
                TestLog.desk(desk, "grabbed", "SERVING", stranger, agentId, agentId, null, null, t + 22),
                TestLog.note(desk, 2, agentId, word + " private note about the customer", List.of(stranger, agentId), t + 23));
        Eventually.await(Duration.ofSeconds(20), "stored", () -> bodies(search(outsider, word)).size() == 1
                && bodies(search(bob, word)).size() == 6 && bodies(search(agent, word)).size() == 2);
        assertEquals(List.of(word + " private note about the customer", word + " in someone else's ticket"),
                bodies(search(agent, word)), "the serving agent finds the ticket and its note");

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = bob.api().queryParam("q", word).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/history/search").then().statusCode(200).extract().jsonPath();
            paged.addAll(bodies(page));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(expected, paged, "newest first, every hit once, across pages of 2");
        assertEquals(List.of(word + " in someone else's ticket"), bodies(search(outsider, word)),
                "the ticket's customer finds only it, never the agents' note");

        redis.set(String.class).srem(GroupKeys.members(gid), String.valueOf(a));
        redis.set(String.class).srem(GroupKeys.groupsOf(a), String.valueOf(gid));
        assertEquals(List.of(word + " direct"), bodies(search(alice, word)), "removed from the group: its messages are gone");
        alice.api().queryParam("q", word).queryParam("conv", group).get("/history/search").then().statusCode(404)
                .body("error", equalTo("NOT_FOUND"));
        outsider.api().queryParam("q", word).queryParam("conv", direct).get("/history/search").then().statusCode(404);
    }

    @Test
    void anEditedMessageIsFoundByItsNewTextOnlyARecalledOneNotAtAllAHiddenOneNotByWhoHidIt() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        TestUsers.User alice = users.login(a);
        TestUsers.User bob = users.login(b);
        String conv = ConversationId.direct(a, b).value();
        String tag = "k" + TestLog.newId();
        long t = System.currentTimeMillis();
        var edited = message(conv, 1, a, tag + " meet at the station", List.of(a, b), t + 1);
        var recalled = message(conv, 2, a, tag + " 秘密の計画", List.of(a, b), t + 2);
        var hidden = message(conv, 3, b, tag + " spoiler ahead", List.of(a, b), t + 3);
        // the edit arrives before its message (another partition, a replay): the fold applies it when the message comes
        TestLog.append(raw, UpdateEvent.of(conv, 4L, edited.msgId(), UpdateEvent.EDIT, a, "dev-" + a, t + 4,
                tag + " meet at the airport", null));
        TestLog.append(raw, edited, recalled, hidden,
                UpdateEvent.of(conv, 5L, recalled.msgId(), UpdateEvent.RECALL, a, "dev-" + a, t + 5, null, null),
                UpdateEvent.of(conv, null, hidden.msgId(), UpdateEvent.HIDE, a, "dev-" + a, t + 6, null, null));
        Eventually.await(Duration.ofSeconds(20), "folded", () -> bodies(search(alice, "airport")).size() == 1
                && bodies(search(bob, tag)).size() == 2 && bodies(search(alice, tag)).size() == 1);

        assertEquals(List.of(tag + " meet at the airport"), bodies(search(bob, "airport")), "by the new text");
        assertEquals(List.of(), bodies(search(bob, "station")), "not by the old one");
        assertEquals(List.of(), bodies(search(bob, "秘密")), "a recalled message is found by nobody");
        assertEquals(List.of(), bodies(search(alice, "秘密")));
        assertEquals(List.of(tag + " spoiler ahead", tag + " meet at the airport"), bodies(search(bob, tag)));
        assertEquals(List.of(tag + " meet at the airport"), bodies(search(alice, tag)), "alice hid the spoiler");
    }

    @Test
    void badQueriesAreRefusedWithJsonErrors() {
        TestUsers.User me = new TestUsers(redis).login(TestLog.newId());
        me.api().get("/history/search").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        me.api().queryParam("q", "  ").get("/history/search").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        me.api().queryParam("q", "a ? !").get("/history/search").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        me.api().queryParam("q", "x".repeat(201)).get("/history/search").then().statusCode(400);
        me.api().queryParam("q", "hello").queryParam("cursor", "not-a-cursor").get("/history/search").then().statusCode(400)
                .body("error", equalTo("INVALID_FIELD"));
        me.api().queryParam("q", "hello").queryParam("conv", "x.1").get("/history/search").then().statusCode(400);
        me.api().queryParam("q", "hello").queryParam("limit", "ten").get("/history/search").then().statusCode(400);
        io.restassured.RestAssured.given().queryParam("q", "hello").get("/history/search").then().statusCode(401);
        JsonPath none = search(me, "hello");
        assertEquals(List.of(), none.getList("items"));
        assertNull(none.getString("nextCursor"));
    }

    private static JsonPath search(TestUsers.User user, String q) {
        return user.api().queryParam("q", q).get("/history/search").then().statusCode(200).extract().jsonPath();
    }

    private static List<String> bodies(JsonPath page) {
        List<Map<String, Object>> items = page.getList("items");
        return items.stream().map(i -> (String) i.get("body")).toList();
    }
}

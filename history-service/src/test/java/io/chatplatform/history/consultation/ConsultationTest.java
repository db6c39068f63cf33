package io.chatplatform.history.consultation;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Desk tickets from desk events: states, transfers, who sees what. */
@QuarkusTest
class ConsultationTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    @Test
    void customersSeeTheirOwnAgentsSeeAll() {
        TestUsers users = new TestUsers(redis);
        long u1 = TestLog.newId();
        long u2 = TestLog.newId();
        long d1 = TestLog.newId();
        long d2 = TestLog.newId();
        TestUsers.User customer = users.login(u1);
        TestUsers.User other = users.login(u2);
        TestUsers.User agent = users.login(d1, "AGENT");
        String t1 = "c." + TestLog.newId();
        String t2 = "c." + TestLog.newId();
        String t3 = "c." + TestLog.newId();
        long t = System.currentTimeMillis();
        TestLog.append(raw,
                TestLog.desk(t1, "opened", "WAITING", u1, null, u1, null, "billing", t),
                TestLog.desk(t1, "grabbed", "SERVING", u1, d1, d1, null, null, t + 1),
                TestLog.desk(t1, "transferring", "TRANSFERRING", u1, d1, d1, d2, null, t + 2),
                TestLog.desk(t1, "declined", "SERVING", u1, d1, d2, null, null, t + 3),
                TestLog.desk(t1, "transferring", "TRANSFERRING", u1, d1, d1, d2, null, t + 4),
                TestLog.desk(t1, "accepted", "SERVING", u1, d2, d2, null, null, t + 5),
                TestLog.desk(t1, "closed", "CLOSED", u1, d2, d2, null, null, t + 6),
                TestLog.desk(t2, "opened", "WAITING", u1, null, u1, null, "delivery", t + 10),
                TestLog.desk(t3, "opened", "WAITING", u2, null, u2, null, "other", t + 20),
                TestLog.desk(t3, "grabbed", "SERVING", u2, d1, d1, null, null, t + 21),
                TestLog.message(t3, 1, u2, "help", List.of(u2, d1), t + 22));

        Eventually.await(Duration.ofSeconds(20), "tickets stored", () -> {
            List<Map<String, Object>> mine = list(customer, "").getList("items");
            return mine.size() == 2 && "CLOSED".equals(mine.get(1).get("state"));
        });
        JsonPath mine = list(customer, "");
        assertEquals(List.of(t2, t1), mine.getList("items.ticket"), "own tickets, newest first");
        assertEquals("WAITING", mine.getString("items[0].state"));
        assertEquals("delivery", mine.getString("items[0].topic"));
        assertEquals(u1, mine.getLong("items[1].customer"));
        assertEquals(d2, mine.getLong("items[1].agent"));
        assertEquals(t, mine.getLong("items[1].createdAt"));
        assertEquals(t + 1, mine.getLong("items[1].claimedAt"));
        assertEquals(t + 6, mine.getLong("items[1].closedAt"));
        assertEquals(2, mine.getList("items[1].transfers").size());
        assertEquals(d1, mine.getLong("items[1].transfers[0].from"));
        assertEquals(d2, mine.getLong("items[1].transfers[0].to"));
        assertEquals(t + 2, mine.getLong("items[1].transfers[0].at"));
        assertEquals(false, mine.getBoolean("items[1].transfers[0].accepted"));
        assertEquals(true, mine.getBoolean("items[1].transfers[1].accepted"));
        assertEquals(List.of(t2), list(customer, "?state=WAITING").getList("items.ticket"));
        assertEquals(List.of(t1), list(customer, "?state=closed").getList("items.ticket"));
        assertEquals(List.of(t3), list(other, "").getList("items.ticket"));

        // the agent pages through every ticket (other tests' too): ours in order, no duplicates
        List<String> all = new ArrayList<>();
        String cursor = "";
        do {
            JsonPath page = list(agent, "?limit=2&cursor=" + cursor);
            all.addAll(page.getList("items.ticket"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(all.size(), all.stream().distinct().count());
        assertTrue(all.indexOf(t3) < all.indexOf(t2) && all.indexOf(t2) < all.indexOf(t1), all.toString());
        List<String> serving = list(agent, "?state=SERVING&limit=200").getList("items.ticket");
        assertTrue(serving.contains(t3));
        assertFalse(serving.contains(t1));

        // the ticket's conversation: its customer and desk staff read it; other users get 404
        Eventually.await(Duration.ofSeconds(20), "desk message stored", () -> other.api()
                .get("/history/conversations/" + t3 + "/messages").then().extract().jsonPath().getList("items").size() == 1);
        agent.api().get("/history/conversations/" + t3 + "/messages").then().statusCode(200).body("items[0].body", equalTo("help"));
        customer.api().get("/history/conversations/" + t3 + "/messages").then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        customer.api().get("/history/conversations/" + t1 + "/messages").then().statusCode(200);
        users.login(d2).api().get("/history/conversations/" + t1 + "/messages").then().statusCode(200)
                .body("items.size()", equalTo(0));
        customer.api().get("/history/consultations?state=BOGUS").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
    }

    private static JsonPath list(TestUsers.User user, String query) {
        return user.api().get("/history/consultations" + query).then().statusCode(200).extract().jsonPath();
    }
}

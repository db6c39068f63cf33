package io.chatplatform.history.desk;

import static org.hamcrest.Matchers.equalTo;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The second part of the desk in history: notes kept from customers, ratings and SLA on tickets, canned replies, stats. */
@QuarkusTest
class DeskHistoryTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    io.chatplatform.history.store.HistoryCollections store;

    @Test
    void privateNotesAreLeftOutOfTheCustomersHistoryButNotTheAgents() {
        TestUsers users = new TestUsers(redis);
        long customerId = TestLog.newId();
        long agentId = TestLog.newId();
        TestUsers.User customer = users.login(customerId);
        TestUsers.User agent = users.login(agentId, "AGENT");
        String ticket = "c." + TestLog.newId();
        long t = System.currentTimeMillis();
        List<Long> members = List.of(customerId, agentId);
        TestLog.append(raw,
                TestLog.desk(ticket, "opened", "WAITING", customerId, null, customerId, null, "notes", t),
                TestLog.desk(ticket, "assigned", "SERVING", customerId, agentId, null, null, null, t + 1),
                TestLog.message(ticket, 1, customerId, "my parcel is late", members, t + 2),
                TestLog.note(ticket, 2, agentId, "third time this month", members, t + 3),
                TestLog.message(ticket, 3, agentId, "sorry, we are on it", members, t + 4),
                TestLog.note(ticket, 4, agentId, "escalated to logistics", members, t + 5));

        Eventually.await(Duration.ofSeconds(20), "stored", () -> messages(agent, ticket, "").getList("items").size() == 4);
        JsonPath seen = messages(agent, ticket, "");
        assertEquals(List.of(1, 2, 3, 4), seen.getList("items.seq"));
        assertEquals("agents", seen.getString("items[1].visibility"));
        JsonPath customerSees = messages(customer, ticket, "");
        assertEquals(List.of("my parcel is late", "sorry, we are on it"), customerSees.getList("items.body"));
        assertEquals(List.of(3), messages(customer, ticket, "?after=1").getList("items.seq"), "nor when syncing forward");
        JsonPath list = customer.api().get("/history/conversations").then().statusCode(200).extract().jsonPath();
        int index = list.getList("items.conv").indexOf(ticket);
        assertEquals("sorry, we are on it", list.getString("items[" + index + "].lastMessage.text"), "a note is never the preview");
        assertEquals(3, list.getLong("items[" + index + "].lastSeq"));
        assertEquals(1, list.getLong("items[" + index + "].unread"), "after their own message: the reply, not the note between");
    }

    @Test
    void ticketsKeepFirstResponseSlaAndRatingAndStatsAddThemUp() {
        TestUsers users = new TestUsers(redis);
        long customerId = TestLog.newId();
        long alice = TestLog.newId();
        long bob = TestLog.newId();
        TestUsers.User agent = users.login(alice, "AGENT");
        TestUsers.User customer = users.login(customerId);
        // a period of its own, far in the past, so other tests' tickets do not count
        long t = 1_000_000_000L + TestLog.newId() % 1_000_000 * 100_000;
        String a1 = "c." + TestLog.newId();
        String a2 = "c." + TestLog.newId();
        String b1 = "c." + TestLog.newId();
        String w = "c." + TestLog.newId();
        TestLog.append(raw,
                // alice: answered in 30 s, rated 5; answered in 90 s (late), rated 2
                TestLog.desk(a1, "opened", "WAITING", customerId, null, customerId, null, "a1", t),
                TestLog.desk(a1, "assigned", "SERVING", customerId, alice, null, null, null, t + 1_000),
                TestLog.desk(a1, "responded", "SERVING", customerId, alice, alice, null, null, t + 30_000),
                TestLog.desk(a1, "closed", "CLOSED", customerId, alice, alice, null, null, t + 40_000),
                TestLog.rated(a1, customerId, alice, 5, "great", t + 41_000),
                TestLog.desk(a2, "opened", "WAITING", customerId, null, customerId, null, "a2", t + 100),
                TestLog.desk(a2, "assigned", "SERVING", customerId, alice, null, null, null, t + 200),
                TestLog.desk(a2, "sla", "SERVING", customerId, alice, null, null, null, t + 60_100),
                TestLog.desk(a2, "responded", "SERVING", customerId, alice, alice, null, null, t + 90_100),
                TestLog.desk(a2, "closed", "CLOSED", customerId, alice, customerId, null, null, t + 95_000),
                TestLog.rated(a2, customerId, alice, 2, null, t + 96_000),
                // bob: answered in 60 s, still serving, not rated
                TestLog.desk(b1, "opened", "WAITING", customerId, null, customerId, null, "b1", t + 200),
                TestLog.desk(b1, "grabbed", "SERVING", customerId, bob, bob, null, null, t + 300),
                TestLog.desk(b1, "responded", "SERVING", customerId, bob, bob, null, null, t + 60_200),
                // nobody yet
                TestLog.desk(w, "opened", "WAITING", customerId, null, customerId, null, "w", t + 300),
                // outside the period
                TestLog.desk("c." + TestLog.newId(), "opened", "WAITING", customerId, null, customerId, null, "later", t + 10_000_000));

        String period = "?from=" + t + "&to=" + (t + 1_000_000);
        Eventually.await(Duration.ofSeconds(20), "stored", () -> {
            JsonPath stats = stats(agent, period);
            return stats.getLong("tickets") == 4 && stats.getLong("closed") == 2 && stats.getLong("slaBreaches") == 1
                    && stats.get("csatAvg") != null && stats.getList("agents").size() == 2;
        });
        JsonPath stats = stats(agent, period);
        assertEquals(1, stats.getLong("waiting"));
        assertEquals(1, stats.getLong("slaBreaches"));
        assertEquals((30_000 + 90_000 + 60_000) / 3, stats.getLong("avgFirstResponseMs"), "from open to first agent message");
        assertEquals(3.5, stats.getDouble("csatAvg"));
        List<Map<String, Object>> agents = stats.getList("agents");
        Map<String, Object> first = agents.get(0);
        Map<String, Object> aliceStats = ((Number) first.get("agent")).longValue() == alice ? first : agents.get(1);
        Map<String, Object> bobStats = aliceStats == first ? agents.get(1) : first;
        assertEquals(2, ((Number) aliceStats.get("closed")).intValue());
        assertEquals((30_000 + 90_000) / 2, ((Number) aliceStats.get("avgFirstResponseMs")).longValue());
        assertEquals(3.5, ((Number) aliceStats.get("csatAvg")).doubleValue());
        assertEquals(0, ((Number) bobStats.get("closed")).intValue());
        assertEquals(60_000, ((Number) bobStats.get("avgFirstResponseMs")).longValue());
        assertNull(bobStats.get("csatAvg"));

        JsonPath mine = customer.api().get("/history/consultations?state=CLOSED&limit=200").then().statusCode(200).extract().jsonPath();
        int index = mine.getList("items.ticket").indexOf(a2);
        assertTrue(index >= 0);
        assertEquals(true, mine.getBoolean("items[" + index + "].slaBreached"));
        assertEquals(2, mine.getInt("items[" + index + "].rating.score"));
        assertEquals(t + 90_100, mine.getLong("items[" + index + "].firstResponseAt"));

        customer.api().get("/history/desk/stats").then().statusCode(403).body("error", equalTo("FORBIDDEN"));
        agent.api().get("/history/desk/stats?from=yesterday").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        agent.api().get("/history/desk/stats?from=2000&to=1000").then().statusCode(400);
        agent.api().get("/history/desk/stats?from=2001-09-09T01:46:40Z&to=2001-09-09T01:46:41Z").then().statusCode(200)
                .body("from", equalTo(1_000_000_000_000L)).body("to", equalTo(1_000_000_001_000L));
    }

    @Test
    void agentsShareCannedRepliesAndNobodyElseSeesThem() {
        TestUsers users = new TestUsers(redis);
        TestUsers.User alice = users.login(TestLog.newId(), "AGENT");
        TestUsers.User bob = users.login(TestLog.newId(), "AGENT");
        TestUsers.User customer = users.login(TestLog.newId());
        String shortcut = "refund-" + TestLog.newId() % 100_000;

        String id = alice.api().contentType("application/json").body(Map.of("shortcut", shortcut, "text", "Your refund is on its way."))
                .post("/desk/replies").then().statusCode(201).body("shortcut", equalTo(shortcut)).extract().path("id");
        JsonPath all = bob.api().get("/desk/replies").then().statusCode(200).extract().jsonPath();
        assertTrue(all.getList("items.id").contains(id), "team-wide: another agent sees it");

        bob.api().contentType("application/json").body(Map.of("shortcut", shortcut, "text", "again"))
                .post("/desk/replies").then().statusCode(409).body("error", equalTo("CONFLICT"));
        for (Map<String, String> bad : List.of(Map.of("shortcut", "Has Space", "text", "x"), Map.of("shortcut", "ok", "text", " "),
                Map.of("text", "no shortcut"))) {
            alice.api().contentType("application/json").body(bad).post("/desk/replies").then().statusCode(400)
                    .body("error", equalTo("INVALID_FIELD"));
        }
        bob.api().contentType("application/json").body(Map.of("shortcut", shortcut, "text", "Refunded: 3-5 working days."))
                .put("/desk/replies/" + id).then().statusCode(200).body("text", equalTo("Refunded: 3-5 working days."));
        bob.api().contentType("application/json").body(Map.of("shortcut", "x", "text", "y")).put("/desk/replies/nope")
                .then().statusCode(404);

        customer.api().get("/desk/replies").then().statusCode(403).body("error", equalTo("FORBIDDEN"));
        customer.api().contentType("application/json").body(Map.of("shortcut", "mine", "text", "y")).post("/desk/replies")
                .then().statusCode(403);
        customer.api().delete("/desk/replies/" + id).then().statusCode(403);

        alice.api().delete("/desk/replies/" + id).then().statusCode(204);
        alice.api().delete("/desk/replies/" + id).then().statusCode(404);
        assertTrue(!bob.api().get("/desk/replies").then().statusCode(200).extract().jsonPath().getList("items.id").contains(id));
    }

    /**
     * A measurement, not a CI test: {@code -Ddesk.stats.bench=true}. 100,000 tickets in one period, then the stats
     * over it, timed (against whatever MongoDB the tests use; the in-memory stand-in by default).
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "desk.stats.bench", matches = "true")
    void statsOverOneHundredThousandTickets() {
        TestUsers.User agent = new TestUsers(redis).login(TestLog.newId(), "AGENT");
        long t = 2_000_000_000L + TestLog.newId() % 1_000 * 1_000_000_000L;
        int n = 100_000;
        List<org.bson.Document> docs = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            org.bson.Document d = new org.bson.Document("_id", "c.bench" + t + "." + i).append("state", i % 10 == 0 ? "WAITING" : "CLOSED")
                    .append("customer", 1L + i).append("agent", 100L + i % 20).append("createdAt", t + i)
                    .append("firstResponseAt", t + i + 1_000 + i % 1_000).append("slaBreached", i % 50 == 0)
                    .append("rating", new org.bson.Document("score", 1 + i % 5).append("ts", t + i + 5_000));
            docs.add(d);
        }
        for (int from = 0; from < n; from += 5_000) {
            store.consultations().insertMany(docs.subList(from, Math.min(n, from + 5_000)));
        }
        String period = "?from=" + t + "&to=" + (t + n);
        stats(agent, period); // warm up
        long start = System.nanoTime();
        JsonPath stats = stats(agent, period);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("desk stats over %d tickets: %d ms%n", n, millis);
        assertEquals(n, stats.getLong("tickets"));
        assertEquals(n / 10, stats.getLong("waiting"));
        assertEquals(20, stats.getList("agents").size());
        assertEquals(3.0, stats.getDouble("csatAvg"));
    }

    private static JsonPath messages(TestUsers.User user, String conv, String query) {
        return user.api().get("/history/conversations/" + conv + "/messages" + query).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath stats(TestUsers.User user, String query) {
        return user.api().get("/history/desk/stats" + query).then().statusCode(200).extract().jsonPath();
    }
}

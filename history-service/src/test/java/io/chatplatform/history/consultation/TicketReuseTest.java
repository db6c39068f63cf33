package io.chatplatform.history.consultation;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.TestUsers;
import io.chatplatform.history.conversation.ConversationDocument;
import io.chatplatform.history.store.HistoryCollections;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Defense in depth against a reused desk ticket id (chat no longer reuses them): a second consultation under
 * the same {@code c.N}, for another customer or opened at another time, is kept out of the stored one and
 * dead-lettered as a conflict; the new customer can read neither the old record nor its transcript, and the
 * conversation's members do not gain a second customer.
 */
@QuarkusTest
@Tag("cluster")
class TicketReuseTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;
    @Inject
    MeterRegistry meters;

    @Test
    void aReusedTicketIdNeitherLeaksNorChangesTheStoredConsultation() {
        TestUsers users = new TestUsers(redis);
        long u1 = TestLog.newId();
        long u2 = TestLog.newId();
        long d1 = TestLog.newId();
        long d2 = TestLog.newId();
        long d3 = TestLog.newId();
        TestUsers.User first = users.login(u1);
        TestUsers.User second = users.login(u2);
        String ticket = "c." + TestLog.newId();
        long t = System.currentTimeMillis() - 60_000;
        double conflictsBefore = conflicts();

        // the original consultation: u1, served by d1, transferred to d2, closed
        TestLog.append(raw,
                TestLog.desk(ticket, "opened", "WAITING", u1, null, u1, null, "refund", t),
                TestLog.desk(ticket, "grabbed", "SERVING", u1, d1, d1, null, null, t + 1),
                TestLog.message(ticket, 1, u1, "where is my refund", List.of(u1, d1), t + 2),
                TestLog.desk(ticket, "transferring", "TRANSFERRING", u1, d1, d1, d2, null, t + 3),
                TestLog.desk(ticket, "accepted", "SERVING", u1, d2, d2, null, null, t + 4),
                TestLog.message(ticket, 2, d2, "on its way", List.of(u1, d2), t + 5),
                TestLog.desk(ticket, "closed", "CLOSED", u1, d2, d2, null, null, t + 6));
        Eventually.await(Duration.ofSeconds(20), "original stored", () -> first.api().get("/history/conversations/"
                + ticket + "/messages").then().extract().jsonPath().getList("items").size() == 2);

        // the same id handed out again: another customer (and the first customer "opening" it once more)
        TestLog.append(raw,
                TestLog.desk(ticket, "opened", "WAITING", u2, null, u2, null, "password", t + 1_000),
                TestLog.desk(ticket, "grabbed", "SERVING", u2, d3, d3, null, null, t + 1_001),
                TestLog.message(ticket, 3, u2, "I forgot my password", List.of(u2, d3), t + 1_002),
                TestLog.read(ticket, u2, 3, t + 1_003),
                TestLog.desk(ticket, "opened", "WAITING", u1, null, u1, null, "again", t + 2_000));
        Eventually.await(Duration.ofSeconds(20), () -> "four conflicts dead-lettered: " + conflictLetters(ticket),
                () -> conflictLetters(ticket).size() == 4);
        assertEquals(conflictsBefore + 4, conflicts(), 0.0, "counted");
        for (StreamMessage<String, String, String> letter : conflictLetters(ticket)) {
            assertTrue(letter.payload().get("reason").contains("reused"), letter.payload().toString());
        }
        assertEquals(4, store.deadLetters().countDocuments(Filters.and(Filters.eq("kind", "conflict"),
                Filters.regex("reason", "^ticket " + java.util.regex.Pattern.quote(ticket) + " "))), "kept in MongoDB too");

        // the stored consultation is untouched
        JsonPath mine = first.api().get("/history/consultations").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(ticket), mine.getList("items.ticket"));
        assertEquals(u1, mine.getLong("items[0].customer"));
        assertEquals("refund", mine.getString("items[0].topic"));
        assertEquals("CLOSED", mine.getString("items[0].state"));
        assertEquals(d2, mine.getLong("items[0].agent"));
        assertEquals(t, mine.getLong("items[0].createdAt"));
        assertEquals(t + 6, mine.getLong("items[0].updatedAt"));
        first.api().get("/history/conversations/" + ticket + "/messages").then().statusCode(200)
                .body("items.size()", equalTo(2)).body("items[1].body", equalTo("on its way"));

        // the second customer and the agent of the reused ticket see nothing of it
        assertTrue(second.api().get("/history/consultations").then().statusCode(200).extract().jsonPath()
                .getList("items").isEmpty());
        second.api().get("/history/conversations/" + ticket + "/messages").then().statusCode(404);
        users.login(d3).api().get("/history/conversations/" + ticket + "/messages").then().statusCode(404);
        List<String> secondsConvs = second.api().get("/history/conversations").then().statusCode(200).extract()
                .jsonPath().getList("items.conv");
        assertFalse(secondsConvs.contains(ticket));

        // the ticket's own agents keep reading it (members follow the ticket's customer and agents)
        users.login(d1).api().get("/history/conversations/" + ticket + "/messages").then().statusCode(200);
        users.login(d2).api().get("/history/conversations/" + ticket + "/messages").then().statusCode(200);
        Document conv = store.conversations().find(Filters.eq(ConversationDocument.ID, ticket)).first();
        Set<Long> members = new HashSet<>();
        for (Object m : conv.getList(ConversationDocument.MEMBERS, Object.class)) {
            members.add(((Number) m).longValue());
        }
        assertEquals(Set.of(u1, d1, d2), members, "one customer, the agents who served");
        assertEquals(2L, ((Number) conv.get(ConversationDocument.LAST_SEQ)).longValue());
    }

    private List<StreamMessage<String, String, String>> conflictLetters(String ticket) {
        return redis.stream(String.class).xrange("chat:dlq", StreamRange.of("-", "+")).stream()
                .filter(m -> "conflict".equals(m.payload().get("kind")) && m.payload().get("reason").contains(ticket + " "))
                .toList();
    }

    private double conflicts() {
        return meters.find("history.ingest.dead.lettered").tag("kind", "conflict").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}

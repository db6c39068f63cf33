package io.chatplatform.history.deadletter;

import io.chatplatform.common.conversation.ConversationId;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.model.Filters;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.TestUsers;
import io.chatplatform.history.ingest.DeadLetters;
import io.chatplatform.history.ingest.LogEntry;
import io.chatplatform.history.ingest.LogStreams;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dead letters are stored after all through the admin API, exactly once however often they are replayed. */
@QuarkusTest
class DeadLetterReplayTest {

    @Inject
    RedisDataSource redis;
    @Inject
    HistoryCollections store;

    @Test
    void aReplayedDeadLetterIsStoredOnceAndOnlyAdminsMayReplay() {
        TestUsers users = new TestUsers(redis);
        TestUsers.User admin = users.login(TestLog.newId(), "ADMIN");
        TestUsers.User user = users.login(TestLog.newId());
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        String stream = TestLog.privateStream();
        List<MessageEvent> messages = TestLog.directMessages(a, b, 1, 2);
        String first = deadLetter(stream, "1-1", StreamEventCodec.encode(messages.get(0)));
        String second = deadLetter(stream, "1-2", StreamEventCodec.encode(messages.get(1)));
        String malformed = deadLetter(stream, "1-3", "this is {not json");

        user.api().urlEncodingEnabled(false).post(replayPath(first)).then().statusCode(403).body("error", equalTo("FORBIDDEN"));
        admin.api().queryParam("stream", stream).get("/admin/dead-letters").then().statusCode(200)
                .body("size()", equalTo(3));

        admin.api().urlEncodingEnabled(false).post(replayPath(first)).then().statusCode(200).body("result", equalTo("stored"));
        assertEquals(1, store.messages().countDocuments(Filters.eq("conv", conv)));
        admin.api().urlEncodingEnabled(false).post(replayPath(first)).then().statusCode(200)
                .body("result", equalTo("already-stored"));
        assertEquals(1, store.messages().countDocuments(Filters.eq("conv", conv)), "replaying twice stores once");

        // all of one kind on one stream: the one not replayed yet is stored, the malformed one is refused
        admin.api().queryParam("kind", DeadLetters.MAX_DELIVERIES).queryParam("stream", stream)
                .post("/admin/dead-letters/replay").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.id == '" + second + "' }.result", equalTo("stored"))
                .body("find { it.id == '" + malformed + "' }.result", equalTo("refused"));
        assertEquals(2, store.messages().countDocuments(Filters.eq("conv", conv)));

        admin.api().urlEncodingEnabled(false).post(replayPath(malformed)).then().statusCode(422)
                .body("error", equalTo("UNPROCESSABLE"));
        admin.api().urlEncodingEnabled(false).post(replayPath("history|nothing|0-1|x")).then().statusCode(404);
        admin.api().queryParam("kind", "bogus").post("/admin/dead-letters/replay").then().statusCode(400)
                .body("error", equalTo("INVALID_FIELD"));
        store.deadLetters().deleteMany(Filters.eq("stream", stream));
    }

    /** The id percent-encoded by hand: it holds '|', ':' and the stream's '{...}'. */
    private static String replayPath(String id) {
        return "/admin/dead-letters/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8) + "/replay";
    }

    /** Written the way the ingest writes it; returns its id. */
    private String deadLetter(String stream, String entryId, String event) {
        DeadLetters deadLetters = new DeadLetters(new LogStreams(redis), store, "test:dlq:replay", 1_000);
        deadLetters.send(stream, "history", "replay-test", new DeadLetters.DeadLetter(new LogEntry(entryId, Map.of("e", event)),
                DeadLetters.MAX_DELIVERIES, "delivered 11 times", 11));
        return store.deadLetters().find(Filters.and(Filters.eq("stream", stream), Filters.eq("id", entryId))).first()
                .getString("_id");
    }
}

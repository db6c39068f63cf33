package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.consultation.ConsultationDocument;
import io.chatplatform.history.consultation.ConsultationView;
import io.chatplatform.history.conversation.ReadMarkerDocument;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The same events delivered again and again (and out of order) leave exactly the same documents. */
@QuarkusTest
@Tag("cluster")
class DuplicateEventsTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    HistoryCollections store;

    @Test
    void duplicatesLeaveOneDocumentAndDerivedStateIsIdempotent() throws Exception {
        IngestFixture fx = new IngestFixture(redis, store);
        String stream = TestLog.privateStream();
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        List<MessageEvent> m = TestLog.directMessages(a, b, 1, 3);
        long customer = TestLog.newId();
        long agent = TestLog.newId();
        String ticket = "c." + TestLog.newId();
        long t0 = System.currentTimeMillis();
        DeskEvent opened = TestLog.desk(ticket, "opened", "WAITING", customer, null, customer, null, "billing", t0);
        DeskEvent grabbed = TestLog.desk(ticket, "grabbed", "SERVING", customer, agent, agent, null, null, t0 + 10);
        DeskEvent closed = TestLog.desk(ticket, "closed", "CLOSED", customer, agent, agent, null, null, t0 + 20);

        List<StreamEvent> log = new ArrayList<>(List.of(m.get(0), m.get(0), m.get(1), m.get(0), m.get(2), m.get(1),
                TestLog.read(conv, a, 2), TestLog.read(conv, a, 1), TestLog.read(conv, a, 2),
                opened, grabbed, opened, closed, grabbed, opened, closed));
        // a different message claiming an already used (conv, seq): a conflict, not a duplicate
        MessageEvent conflicting = TestLog.message(conv, 2, a, "impostor", List.of(a, b));
        log.add(conflicting);
        log.addAll(List.of(m.get(2), m.get(1), m.get(0)));
        TestLog.append(raw, stream, log);
        try {
            fx.start(stream, IngestFixture.settings("dup-test").withBatchSize(4));
            Eventually.await(Duration.ofSeconds(20), "all consumed", () -> fx.messages(conv) == 3 && fx.pending(stream) == 0
                    && fx.counter("history.ingest.events") >= log.size());

            assertEquals(3, fx.messages(conv), "one document per message");
            assertEquals(1, store.messages().countDocuments(Filters.eq("_id", m.get(1).msgId())));
            Document c = store.conversations().find(Filters.eq("_id", conv)).first();
            assertEquals(3L, c.get("lastSeq", Number.class).longValue());
            assertEquals(m.get(2).msgId(), c.get("lastMessage", Document.class).getString("msgId"));
            assertEquals(2, c.getList("members", Long.class).size());
            Document marker = store.readMarkers().find(Filters.eq("_id", ReadMarkerDocument.id(conv, a))).first();
            assertEquals(2L, marker.get("seq", Number.class).longValue(), "a read 2 and sent seq 2; never moves back");

            ConsultationView view = ConsultationDocument.view(store.consultations().find(Filters.eq("_id", ticket)).first());
            assertEquals("CLOSED", view.state(), "replayed older events do not reopen a closed ticket");
            assertEquals(t0, view.createdAt());
            assertEquals(t0 + 10, view.claimedAt());
            assertEquals(t0 + 20, view.closedAt());
            assertEquals(3, store.consultations().find(Filters.eq("_id", ticket)).first().getList("events", Document.class).size(),
                    "each desk event kept once");

            List<StreamMessage<String, String, String>> dead = fx.deadLetters();
            assertEquals(1, dead.size(), "only the conflicting message");
            assertEquals(DeadLetters.REJECTED, dead.get(0).payload().get("kind"));
            assertTrue(dead.get(0).payload().get("reason").startsWith("seq conflict"), dead.get(0).payload().get("reason"));
            assertNull(store.messages().find(Filters.eq("_id", conflicting.msgId())).first());
        } finally {
            fx.close(stream);
        }
    }
}

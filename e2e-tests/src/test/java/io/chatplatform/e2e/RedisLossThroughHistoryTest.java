package io.chatplatform.e2e;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.localstack.SharedStores;
import io.chatplatform.localstack.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole platform across a Redis data loss (FLUSHALL mid-traffic) and across a history-service outage: every
 * acknowledged message reaches history exactly once with the seq it was acked with, seqs rise across the loss, nothing
 * is dead-lettered, a consultation opened after the loss gets a new id whose customer cannot read the earlier one, and a
 * group made before the loss works again (auth rebuilds its mirror from MySQL).
 */
@Tag("cluster")
class RedisLossThroughHistoryTest {

    private final Platform platform = Platform.get();

    @Test
    void acknowledgedMessagesReachHistoryExactlyOnceAcrossARedisWipe() throws Exception {
        Client alice = Client.register(platform, "alice").login("phone");
        Client bob = Client.register(platform, "bob").login("laptop");
        JsonNode group = alice.auth("POST", "/groups", Map.of("name", "before the loss", "members", List.of(bob.uid))).json();
        String groupConv = "g." + group.get("id").asLong();
        String direct = ConversationId.direct(alice.uid, bob.uid).value();
        Map<String, Map<String, Long>> acked = Map.of(direct, new LinkedHashMap<>(), groupConv, new LinkedHashMap<>());
        long dlqBefore = deadLetters();

        try (WsClient aliceSocket = alice.connect()) {
            for (int i = 0; i < 20; i++) {
                sendUntilAcked(aliceSocket, Map.of("user", bob.uid), direct, "before-" + i, acked);
                if (i % 4 == 0) {
                    sendUntilAcked(aliceSocket, groupConv, groupConv, "group-before-" + i, acked);
                }
            }
            wipeRedis();
            // the open socket goes on (it was authenticated at the upgrade); sends right after the loss included
            for (int i = 0; i < 20; i++) {
                sendUntilAcked(aliceSocket, Map.of("user", bob.uid), direct, "after-" + i, acked);
                if (i % 4 == 0) {
                    sendUntilAcked(aliceSocket, groupConv, groupConv, "group-after-" + i, acked);
                }
            }
        }
        // device sessions lived in Redis: the users sign in again (refresh tokens will make this silent)
        bob.login("laptop");
        for (var conv : acked.entrySet()) {
            List<Long> ackedSeqs = new ArrayList<>(conv.getValue().values());
            for (int i = 1; i < ackedSeqs.size(); i++) {
                assertTrue(ackedSeqs.get(i) > ackedSeqs.get(i - 1), conv.getKey() + ": seqs strictly rise across the loss " + ackedSeqs);
            }
            Map<String, Long> stored = awaitStored(bob, conv.getKey(), conv.getValue().size());
            assertEquals(conv.getValue(), stored, conv.getKey() + ": every acked message stored once, with its acked seq");
        }
        assertEquals(dlqBefore, deadLetters(), "nothing dead-lettered");
    }

    @Test
    void aConsultationOpenedAfterTheLossIsNewAndItsCustomerCannotReadTheEarlierOne() throws Exception {
        Client first = Client.register(platform, "first").login("phone");
        long firstTicket;
        try (WsClient socket = first.connect()) {
            socket.send(Map.of("type", "desk.open", "id", "1", "topic", "my order"));
            firstTicket = Long.parseLong(socket.awaitReply("1").get("ticket").asText().substring(2));
            socket.send(Map.of("type", "send", "id", "2", "cid", "2", "to", "c." + firstTicket, "kind", "text", "body", "my address is secret"));
            assertEquals("ack", socket.awaitReply("2").get("type").asText());
        }
        ChatThroughHistoryTest.eventually(() -> first.history("/history/conversations/c." + firstTicket + "/messages"),
                page -> page.get("items").size() >= 2);

        wipeRedis();

        Client second = Client.register(platform, "second").login("phone");
        long secondTicket;
        try (WsClient socket = second.connect()) {
            socket.send(Map.of("type", "desk.open", "id", "1", "topic", "my order too"));
            JsonNode ack = socket.awaitReply("1");
            assertEquals("ack", ack.get("type").asText(), "opened: " + ack);
            secondTicket = Long.parseLong(ack.get("ticket").asText().substring(2));
        }
        assertTrue(secondTicket > firstTicket, "a new ticket id (c." + secondTicket + " after c." + firstTicket + ")");
        ChatThroughHistoryTest.eventually(() -> second.history("/history/consultations"), list -> list.get("items").size() == 1);
        JsonNode mine = second.history("/history/consultations").json();
        assertEquals("c." + secondTicket, mine.get("items").get(0).get("ticket").asText(), "only the new customer's own ticket");
        assertEquals(404, second.history("/history/conversations/c." + firstTicket + "/messages").status(),
                "the earlier customer's transcript stays theirs");
        first.login("phone");
        assertFalse(first.history("/history/conversations/c." + firstTicket + "/messages").body().contains("my order too"));
    }

    @Test
    void historyDownWhileTheLogGrowsStoresEverythingOnceItIsBack() throws Exception {
        Client alice = Client.register(platform, "alice").login("phone");
        Client bob = Client.register(platform, "bob").login("laptop");
        String direct = ConversationId.direct(alice.uid, bob.uid).value();
        Map<String, Map<String, Long>> acked = Map.of(direct, new LinkedHashMap<>());
        platform.stopHistory();
        try (WsClient socket = alice.connect()) {
            for (int i = 0; i < 300; i++) {
                sendUntilAcked(socket, Map.of("user", bob.uid), direct, "while-down-" + i, acked);
            }
            Thread.sleep(2_500); // the log trimmer (every second here) runs while nothing is consumed
        } finally {
            platform.startHistory();
        }
        assertEquals(acked.get(direct), awaitStored(bob, direct, 300), "all 300 stored once history is back");
    }

    private static void sendUntilAcked(WsClient socket, Object to, String conv, String cid, Map<String, Map<String, Long>> acked)
            throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            String id = cid + "#" + attempt;
            socket.send(Map.of("type", "send", "id", id, "cid", cid, "to", to, "kind", "text", "body", cid));
            JsonNode reply = socket.awaitReply(id);
            if ("ack".equals(reply.path("type").asText())) {
                acked.get(conv).put(reply.get("msgId").asText(), reply.get("seq").asLong());
                return;
            }
            // UNAVAILABLE while a mirror is rebuilt, CONFLICT while a first attempt is pending: resend the same cid
            Thread.sleep(200);
        }
        throw new AssertionError("never acked: " + cid);
    }

    /** msgId → seq of every message history holds in the conversation, read forward with after=. */
    private static Map<String, Long> awaitStored(Client reader, String conv, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Long> stored = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            stored = new LinkedHashMap<>();
            long after = 0;
            while (true) {
                Client.Response page = reader.history("/history/conversations/" + conv + "/messages?limit=100&after=" + after);
                if (page.status() != 200) {
                    break;
                }
                for (JsonNode item : page.json().get("items")) {
                    if (!"SYSTEM".equals(item.path("senderType").asText())) {
                        Long earlier = stored.put(item.get("msgId").asText(), item.get("seq").asLong());
                        assertTrue(earlier == null, "stored twice: " + item);
                    }
                }
                if (page.json().path("nextAfter").isMissingNode() || page.json().get("nextAfter").isNull()) {
                    break;
                }
                after = page.json().get("nextAfter").asLong();
            }
            if (stored.size() >= expected) {
                return stored;
            }
            Thread.sleep(250);
        }
        return stored;
    }

    private static void wipeRedis() {
        SharedStores.flushRedis();
    }

    private static long deadLetters() {
        return ((Number) SharedStores.redisCommand("XLEN", "chat:dlq")).longValue();
    }
}

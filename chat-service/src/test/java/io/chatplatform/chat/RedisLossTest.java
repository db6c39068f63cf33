package io.chatplatform.chat;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.chatplatform.localstack.StoresTestResource;
import io.chatplatform.localstack.WsClient;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis loses its data in the middle of traffic (FLUSHALL, as a restart without persistence or a lossy failover would):
 * users log in again and go on; no seq or ticket id is handed out twice, every acked message is on the log, an old
 * group keeps working once auth has rebuilt its mirror, and a resend whose first reply was lost makes no second message.
 */
@QuarkusTest
@Tag("cluster")
class RedisLossTest extends ChatTestBase {

    @Test
    void seqsKeepRisingAndEveryAckedMessageIsOnTheLogAcrossTheLoss() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        String conv = ConversationId.direct(alice, bob).value();
        Map<String, Long> acked = new LinkedHashMap<>();

        WsClient aliceSocket = connect(users.login(alice, "phone"));
        long lastBefore = sendAll(aliceSocket, bob, "before", 15, acked);

        RedisFaults.wipe();

        // users sign in again after the loss (their sessions lived in Redis) and go on
        aliceSocket = connect(users.login(alice, "phone"));
        WsClient bobSocket = connect(users.login(bob, "phone"));
        long firstAfter = sendOne(aliceSocket, bob, "after-0", acked);
        assertTrue(firstAfter > lastBefore, "the first seq after the loss (" + firstAfter + ") lies above every seq before ("
                + lastBefore + ")");
        assertEquals(firstAfter, bobSocket.await("message").get("seq").asLong(), "delivered live after the loss");
        long lastAfter = sendAll(aliceSocket, bob, "after", 15, acked);
        assertEquals(firstAfter + 15, lastAfter, "gap-free again after the jump");

        Map<String, Long> logged = loggedSeqs(conv);
        acked.forEach((msgId, seq) -> assertEquals(seq, logged.get(msgId), "acked message " + msgId + " (seq " + seq + ") on the log"));
        assertEquals(acked.size(), logged.size(), "nothing on the log that was not acked");
    }

    @Test
    void aStreamAConsumerRecreatedFirstStillGetsTheLostEntriesAgain() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        String conv = ConversationId.direct(alice, bob).value();
        Map<String, Long> acked = new LinkedHashMap<>();
        sendAll(connect(users.login(alice, "phone")), bob, "m-before", 10, acked);

        RedisFaults.wipe();
        // history noticed first and recreated its group with MKSTREAM: chat's next append finds a stream, not a gap
        redis.execute("XGROUP", "CREATE", LogPartitions.streamKeyOf(conv, LogPartitions.DEFAULT_PARTITIONS), "history", "0", "MKSTREAM");

        sendAll(connect(users.login(alice, "phone")), bob, "m-after", 5, acked);
        Map<String, Long> logged = loggedSeqs(conv);
        acked.forEach((msgId, seq) -> assertEquals(seq, logged.get(msgId), "acked message " + msgId + " (seq " + seq + ") on the log"));
    }

    @Test
    void aRestartWithoutPersistenceIsSurvivedLikeAWipe() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        String conv = ConversationId.direct(alice, bob).value();
        Map<String, Long> acked = new LinkedHashMap<>();
        long lastBefore = sendAll(connect(users.login(alice, "phone")), bob, "r-before", 10, acked);
        assumeTrue(RedisFaults.restart(), "the tests' Redis is a real server they do not own: only the wipe runs");
        resubscribeAuthMirrors(); // direct sends now ask auth for bob's blocks mirror, lost with the restart

        WsClient socket = connect(users.login(alice, "phone"));
        long firstAfter = sendOne(socket, bob, "r-after-0", acked);
        assertTrue(firstAfter > lastBefore, "seq " + firstAfter + " after the restart lies above " + lastBefore);
        sendAll(socket, bob, "r-after", 10, acked);
        Map<String, Long> logged = loggedSeqs(conv);
        acked.forEach((msgId, seq) -> assertEquals(seq, logged.get(msgId), "acked message " + msgId + " on the log"));

        assertRevocationsReachChat(alice);
    }

    /** The auth:events subscription is back: a revocation published now closes the socket (long before the audit). */
    private void assertRevocationsReachChat(long uid) {
        TestUsers.Device tablet = users.login(uid, "tablet");
        WsClient revoked = connect(tablet);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!revoked.isClosed() && System.nanoTime() < deadline) {
            users.publishRevoked(tablet, "kicked");
            sleep(300);
        }
        assertTrue(revoked.isClosed(), "revocations reach chat again after Redis came back");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void whileRedisIsDownAnUpgradeIs503NotASignOut() {
        TestUsers.Device device = users.login(TestUsers.newUid(), "phone");
        assumeTrue(StoresTestResource.stopRedis(), "the tests' Redis is a real server they do not own");
        try {
            WsClient.HandshakeRefused refused = assertThrows(WsClient.HandshakeRefused.class, () -> users.connect(device));
            assertEquals(503, refused.status, "Redis cannot tell whether the session is valid: retry, not 401");
        } finally {
            StoresTestResource.startRedis();
        }
        TestUsers.Device again = users.login(device.uid(), "phone");
        connect(again).assertAlive();
        assertRevocationsReachChat(device.uid());
    }

    @Test
    void aNewConsultationAfterTheLossGetsANewTicketId() {
        long customer = TestUsers.newUid();
        WsClient before = connect(users.login(customer, "phone"));
        before.send(Map.of("type", "desk.open", "id", "1", "topic", "before the loss"));
        long oldTicket = ticketNumber(before.awaitReply("1"));

        RedisFaults.wipe();

        long otherCustomer = TestUsers.newUid();
        WsClient after = connect(users.login(otherCustomer, "phone"));
        after.send(Map.of("type", "desk.open", "id", "2", "topic", "after the loss"));
        long newTicket = ticketNumber(after.awaitReply("2"));
        assertTrue(newTicket > oldTicket, "ticket c." + newTicket + " is new (the one before was c." + oldTicket + ")");
    }

    @Test
    void anOldGroupWorksAgainOnceAuthRebuildsItsMirror() {
        long owner = TestUsers.newUid();
        long member = TestUsers.newUid();
        long gid = users.newGroup(owner, member);
        WsClient ownerSocket = connect(users.login(owner, "phone"));
        ownerSocket.send(Map.of("type", "send", "id", "1", "cid", "g-1", "to", "g." + gid, "kind", "text", "body", "before"));
        assertEquals("ack", ownerSocket.awaitReply("1").get("type").asText());

        RedisFaults.wipe();

        // auth-service (here its stand-in, AuthMirrorStandIn) rebuilds the mirror when chat asks for it
        ownerSocket = connect(users.login(owner, "phone"));
        WsClient memberSocket = connect(users.login(member, "phone"));
        ownerSocket.send(Map.of("type", "send", "id", "2", "cid", "g-2", "to", "g." + gid, "kind", "text", "body", "after"));
        JsonNode ack = ownerSocket.awaitReply("2");
        assertEquals("ack", ack.get("type").asText(), "the send waits for the rebuilt mirror: " + ack);
        assertEquals("after", memberSocket.await("message").get("body").asText());

        long unknown = TestUsers.newUid();
        ownerSocket.send(Map.of("type", "send", "id", "3", "cid", "g-3", "to", "g." + unknown, "kind", "text", "body", "x"));
        assertEquals("NOT_FOUND", ownerSocket.awaitReply("3").get("code").asText(), "a group auth reports absent");
    }

    @Test
    void aResendWhoseFirstReplyWasLostPublishesTheSameMessageNotASecondOne() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        String conv = ConversationId.direct(alice, bob).value();
        WsClient socket = connect(users.login(alice, "phone"));
        socket.send(send("1", "same-cid", bob, "once"));
        JsonNode first = socket.awaitReply("1");
        String dedupKey = "chat:dedup:{" + conv + "}:" + alice + ":same-cid";
        // as if the append had gone through but its reply (and so the stored ack) was lost: the claim is still pending
        redis.value(String.class).set(dedupKey, "pending|" + first.get("msgId").asText() + "|" + (first.get("ts").asLong() - 10_000)
                + "|" + first.get("seq").asLong());

        socket.send(send("2", "same-cid", bob, "once"));
        JsonNode again = socket.awaitReply("2");
        assertEquals(first.get("msgId").asText(), again.get("msgId").asText(), "same message id");
        assertEquals(first.get("seq").asLong(), again.get("seq").asLong(), "same seq");

        socket.send(send("3", "next-cid", bob, "next"));
        assertEquals(first.get("seq").asLong() + 1, socket.awaitReply("3").get("seq").asLong(), "no seq was spent on the resend");
        assertEquals(2, loggedSeqs(conv).size(), "two distinct messages on the log");
    }

    private long sendAll(WsClient socket, long to, String prefix, int count, Map<String, Long> acked) {
        long last = 0;
        for (int i = 0; i < count; i++) {
            last = sendOne(socket, to, prefix + "-" + (i + 1), acked);
        }
        return last;
    }

    private long sendOne(WsClient socket, long to, String cid, Map<String, Long> acked) {
        socket.send(send(cid, cid, to, cid));
        JsonNode ack = socket.awaitReply(cid);
        assertEquals("ack", ack.get("type").asText(), "acked: " + ack);
        acked.put(ack.get("msgId").asText(), ack.get("seq").asLong());
        return ack.get("seq").asLong();
    }

    private static Map<String, Object> send(String id, String cid, long to, String body) {
        return Map.of("type", "send", "id", id, "cid", cid, "to", Map.of("user", to), "kind", "text", "body", body);
    }

    /** msgId → seq of the conversation's messages on the log; a msgId logged twice must carry one seq. */
    private Map<String, Long> loggedSeqs(String conv) {
        String stream = LogPartitions.streamKeyOf(conv, LogPartitions.DEFAULT_PARTITIONS);
        Map<String, Long> seqs = new HashMap<>();
        for (StreamMessage<String, String, String> entry : redis.stream(String.class).xrange(stream, StreamRange.of("-", "+"))) {
            StreamEvent event = StreamEventCodec.decode(entry.payload().get(LogPartitions.EVENT_FIELD)).orElse(null);
            if (event instanceof MessageEvent m && conv.equals(m.conv())) {
                Long earlier = seqs.put(m.msgId(), m.seq());
                assertTrue(earlier == null || earlier == m.seq(), "one seq per message id");
            }
        }
        return seqs;
    }

    private static long ticketNumber(JsonNode ack) {
        assertNotNull(ack.get("ticket"), "desk.open acked: " + ack);
        return Long.parseLong(ack.get("ticket").asText().substring(2));
    }
}

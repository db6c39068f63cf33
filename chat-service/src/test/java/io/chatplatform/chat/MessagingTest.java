package io.chatplatform.chat;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.localstack.WsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("cluster")
@QuarkusTest
class MessagingTest extends ChatTestBase {

    @Test
    void aDirectMessageReachesEveryDeviceButTheSendingConnection() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        WsClient alicePhone = connect(users.login(alice, "phone"));
        WsClient aliceLaptop = connect(users.login(alice, "laptop"));
        WsClient bobPhone = connect(users.login(bob, "phone"));

        alicePhone.send(Map.of("type", "send", "id", "1", "cid", "c-1", "to", Map.of("user", bob), "kind", "text",
                "body", "hi bob", "from", 424242));
        JsonNode ack = alicePhone.awaitReply("1");
        String conv = ConversationId.direct(alice, bob).value();
        assertEquals("ack", ack.get("type").asText());
        assertEquals(conv, ack.get("conv").asText());
        assertEquals(1, ack.get("seq").asLong());

        for (WsClient receiver : List.of(bobPhone, aliceLaptop)) {
            JsonNode message = receiver.await("message");
            assertEquals(ack.get("msgId").asText(), message.get("msgId").asText());
            assertEquals(alice, message.get("from").asLong(), "from is the authenticated user, never the payload");
            assertEquals("phone", message.get("fromDevice").asText());
            assertEquals("hi bob", message.get("body").asText());
            assertEquals(1, message.get("seq").asLong());
        }
        assertTrue(alicePhone.collect("message", Duration.ofMillis(300)).isEmpty(), "the sending connection gets no copy");

        bobPhone.send(Map.of("type", "send", "id", "2", "cid", "c-2", "to", conv, "kind", "text", "body", "hey"));
        assertEquals(2, bobPhone.awaitReply("2").get("seq").asLong());
        assertEquals("hey", alicePhone.await("message").get("body").asText());
        assertEquals("hey", aliceLaptop.await("message").get("body").asText());
    }

    @Test
    void groupMessagesReachAllMembersAndOutsidersAreRefused() {
        long a = TestUsers.newUid();
        long b = TestUsers.newUid();
        long c = TestUsers.newUid();
        long outsider = TestUsers.newUid();
        long gid = users.newGroup(a, b, c);
        WsClient sa = connect(users.login(a, "d"));
        WsClient sb = connect(users.login(b, "d"));
        WsClient sc = connect(users.login(c, "d"));
        WsClient so = connect(users.login(outsider, "d"));

        sa.send(Map.of("type", "send", "id", "g1", "cid", "g1", "to", "g." + gid, "kind", "image",
                "media", Map.of("url", "https://cdn.example/cat.png", "mime", "image/png", "size", 2048, "width", 64, "height", 64)));
        assertEquals(1, sa.awaitReply("g1").get("seq").asLong());
        for (WsClient member : List.of(sb, sc)) {
            JsonNode message = member.await("message");
            assertEquals("g." + gid, message.get("conv").asText());
            assertEquals("https://cdn.example/cat.png", message.get("media").get("url").asText());
        }

        so.send(Map.of("type", "send", "id", "x", "cid", "x", "to", "g." + gid, "kind", "text", "body", "let me in"));
        assertEquals("FORBIDDEN", so.awaitReply("x").get("code").asText());
        so.send(Map.of("type", "send", "id", "y", "cid", "y", "to", "g." + TestUsers.newUid(), "kind", "text", "body", "?"));
        assertEquals("NOT_FOUND", so.awaitReply("y").get("code").asText());
        so.send(Map.of("type", "send", "id", "z", "cid", "z", "to", ConversationId.direct(a, b).value(), "kind", "text", "body", "?"));
        assertEquals("NOT_FOUND", so.awaitReply("z").get("code").asText());
        assertTrue(sb.collect("message", Duration.ofMillis(300)).isEmpty(), "refused sends reach nobody");
    }

    @Test
    void resendingTheSameClientIdGivesTheSameAckAndOneMessage() {
        long a = TestUsers.newUid();
        long b = TestUsers.newUid();
        WsClient sa = connect(users.login(a, "d"));
        WsClient sb = connect(users.login(b, "d"));
        List<JsonNode> acks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sa.send(Map.of("type", "send", "id", "r" + i, "cid", "same-cid", "to", Map.of("user", b), "kind", "text", "body", "once"));
            acks.add(sa.awaitReply("r" + i));
        }
        for (JsonNode ack : acks) {
            assertEquals(acks.get(0).get("msgId"), ack.get("msgId"));
            assertEquals(acks.get(0).get("seq"), ack.get("seq"));
            assertEquals(acks.get(0).get("ts"), ack.get("ts"));
        }
        assertEquals(1, sb.collect("message", Duration.ofMillis(500)).size());
        String conv = acks.get(0).get("conv").asText();
        assertEquals(1, logEntriesOf(conv).size(), "published once");
    }

    @Test
    void sendsAndReadsWorkAfterRedisForgetsItsScripts() {
        long a = TestUsers.newUid();
        long b = TestUsers.newUid();
        WsClient sa = connect(users.login(a, "d"));
        WsClient sb = connect(users.login(b, "d"));
        for (int i = 1; i <= 3; i++) {
            redis.execute("SCRIPT", "FLUSH"); // as after a Redis restart: scripts run by hash must be resent in full
            sa.send(Map.of("type", "send", "id", "s" + i, "cid", "flush-" + i, "to", Map.of("user", b), "kind", "text", "body", "m" + i));
            assertEquals(i, sa.awaitReply("s" + i).get("seq").asLong());
            assertEquals("m" + i, sb.await("message").get("body").asText());
        }
        redis.execute("SCRIPT", "FLUSH");
        String conv = ConversationId.direct(a, b).value();
        sb.send(Map.of("type", "read", "id", "r", "conv", conv, "seq", 3));
        assertEquals("ack", sb.awaitReply("r").get("type").asText());
    }

    @Test
    void fiftyConcurrentSendersGetStrictlyIncreasingGapFreeSeqs() throws Exception {
        long reader = TestUsers.newUid();
        long[] senders = new long[50];
        for (int i = 0; i < senders.length; i++) {
            senders[i] = TestUsers.newUid();
        }
        long[] members = new long[51];
        System.arraycopy(senders, 0, members, 0, 50);
        members[50] = reader;
        long gid = users.newGroup(members);
        WsClient readerSocket = connect(users.login(reader, "d"));
        List<WsClient> sockets = new ArrayList<>();
        for (long sender : senders) {
            sockets.add(connect(users.login(sender, "d")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> seqs = new ArrayList<>();
        for (int i = 0; i < sockets.size(); i++) {
            WsClient socket = sockets.get(i);
            String id = "s" + i;
            seqs.add(pool.submit(() -> {
                start.await();
                socket.send(Map.of("type", "send", "id", id, "cid", id, "to", "g." + gid, "kind", "text", "body", id));
                JsonNode reply = socket.awaitReply(id);
                if (!reply.has("seq")) {
                    throw new AssertionError("send refused: " + reply);
                }
                return reply.get("seq").asLong();
            }));
        }
        start.countDown();
        Set<Long> acked = new HashSet<>();
        for (Future<Long> seq : seqs) {
            acked.add(seq.get());
        }
        pool.shutdown();
        Set<Long> expected = new HashSet<>();
        for (long s = 1; s <= 50; s++) {
            expected.add(s);
        }
        assertEquals(expected, acked, "50 distinct seqs 1..50: gap-free");
        List<JsonNode> received = readerSocket.collect("message", Duration.ofSeconds(2));
        assertEquals(50, received.size());
        assertEquals(expected, received.stream().map(m -> m.get("seq").asLong()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void everyMessageIsOnTheDurableLogWithItsMembers() {
        long a = TestUsers.newUid();
        long b = TestUsers.newUid();
        WsClient sa = connect(users.login(a, "d"));
        sa.send(Map.of("type", "send", "id", "l", "cid", "l", "to", Map.of("user", b), "kind", "text", "body", "logged"));
        JsonNode ack = sa.awaitReply("l");
        List<MessageEvent> events = logEntriesOf(ack.get("conv").asText());
        assertEquals(1, events.size());
        MessageEvent event = events.get(0);
        assertEquals(ack.get("msgId").asText(), event.msgId());
        assertEquals(a, event.from());
        assertEquals("USER", event.senderType());
        assertEquals(Set.of(a, b), Set.copyOf(event.members()));
        assertEquals("1", redis.hash(String.class).hget("chat:read:{" + event.conv() + "}", String.valueOf(a)),
                "the sender's read marker moves to its own message");
    }

    private List<MessageEvent> logEntriesOf(String conv) {
        List<MessageEvent> events = new ArrayList<>();
        String stream = LogPartitions.streamKeyOf(conv, 8);
        for (StreamMessage<String, String, String> entry : redis.stream(String.class).xrange(stream,
                io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"))) {
            StreamEventCodec.decode(entry.payload().get("e"))
                    .filter(e -> e instanceof MessageEvent && e.conv().equals(conv))
                    .ifPresent(e -> events.add((MessageEvent) e));
        }
        return events;
    }
}

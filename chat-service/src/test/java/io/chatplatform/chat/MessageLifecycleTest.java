package io.chatplatform.chat;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.StreamEventCodec;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.common.media.MediaKeys;
import io.chatplatform.common.media.MediaUrlSigner;
import io.chatplatform.common.media.UploadRecord;
import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.localstack.WsClient;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** edit / recall / react / hide, and send's replyTo / mentions / forwardOf, over real WebSockets and Redis. */
@Tag("cluster")
@QuarkusTest
class MessageLifecycleTest extends ChatTestBase {

    @Test
    void editReactAndRecallTakeTheirOwnSeqAndReachEveryDeviceOfEveryMember() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        String conv = "g." + users.newGroup(alice, bob);
        WsClient phone = connect(users.login(alice, "phone"));
        WsClient laptop = connect(users.login(alice, "laptop"));
        WsClient bobs = connect(users.login(bob, "web"));
        String msgId = send(phone, "m", conv, "helo");
        laptop.await("message");
        bobs.await("message");

        phone.send(Map.of("type", "edit", "id", "e", "conv", conv, "msgId", msgId, "body", "hello"));
        JsonNode ack = phone.awaitReply("e");
        assertEquals("ack", ack.get("type").asText());
        assertEquals(2, ack.get("seq").asLong(), "an edit takes the next seq of the conversation");
        assertEquals(msgId, ack.get("msgId").asText());
        for (WsClient other : List.of(laptop, bobs)) {
            JsonNode update = other.await("update");
            assertEquals("edit", update.get("op").asText());
            assertEquals(2, update.get("seq").asLong());
            assertEquals("hello", update.get("body").asText());
            assertEquals(alice, update.get("by").asLong());
            assertEquals(msgId, update.get("msgId").asText());
        }

        bobs.send(Map.of("type", "react", "id", "r", "conv", conv, "msgId", msgId, "emoji", "👍", "on", true));
        assertEquals(3, bobs.awaitReply("r").get("seq").asLong());
        for (WsClient device : List.of(phone, laptop)) {
            JsonNode update = device.await("update");
            assertEquals("react", update.get("op").asText());
            assertEquals("👍", update.get("emoji").asText());
            assertEquals(bob, update.get("by").asLong());
        }
        bobs.send(Map.of("type", "react", "id", "u", "conv", conv, "msgId", msgId, "emoji", "👍", "on", false));
        assertEquals(4, bobs.awaitReply("u").get("seq").asLong());
        assertEquals("unreact", phone.await("update").get("op").asText());
        assertEquals("unreact", laptop.await("update").get("op").asText());

        phone.send(Map.of("type", "recall", "id", "x", "conv", conv, "msgId", msgId));
        assertEquals(5, phone.awaitReply("x").get("seq").asLong());
        for (WsClient other : List.of(laptop, bobs)) {
            JsonNode update = other.await("update");
            assertEquals("recall", update.get("op").asText());
            assertFalse(update.has("body"));
        }
        phone.send(Map.of("type", "recall", "id", "x2", "conv", conv, "msgId", msgId));
        assertEquals(5, phone.awaitReply("x2").get("seq").asLong(), "a resent recall gets the first ack");
        assertTrue(bobs.collect("update", Duration.ofMillis(200)).isEmpty(), "and publishes nothing");

        phone.send(Map.of("type", "edit", "id", "e2", "conv", conv, "msgId", msgId, "body", "again"));
        assertEquals("FORBIDDEN", phone.awaitReply("e2").get("code").asText());
        bobs.send(Map.of("type", "react", "id", "r2", "conv", conv, "msgId", msgId, "emoji", "😀"));
        assertEquals("FORBIDDEN", bobs.awaitReply("r2").get("code").asText());

        List<UpdateEvent> logged = updatesOnTheLog(conv);
        assertEquals(List.of("edit", "react", "unreact", "recall"), logged.stream().map(UpdateEvent::op).toList());
        assertEquals(List.of(2L, 3L, 4L, 5L), logged.stream().map(UpdateEvent::seq).toList(), "acked only once on the log");
        assertNull(redis.hash(String.class).hget("chat:read:{" + conv + "}", String.valueOf(bob)),
                "reacting moves nobody's read marker: updates never count as read or unread");
    }

    @Test
    void changesOutsideTheRulesAreRefusedWithTheirCodes() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        long outsider = TestUsers.newUid();
        long gid = users.newGroup(alice, bob);
        String conv = "g." + gid;
        WsClient a = connect(users.login(alice, "d"));
        WsClient b = connect(users.login(bob, "d"));
        WsClient o = connect(users.login(outsider, "d"));
        String text = send(a, "t", conv, "mine");
        a.send(Map.of("type", "send", "id", "i", "cid", "i", "to", conv, "kind", "image",
                "media", Map.of("url", "https://cdn.example/cat.png", "mime", "image/png")));
        String image = a.awaitReply("i").get("msgId").asText();

        assertRefused(a, Map.of("type", "edit", "conv", conv, "msgId", "01J00000000000000000000000", "body", "x"), "NOT_FOUND");
        assertRefused(b, Map.of("type", "edit", "conv", conv, "msgId", text, "body", "not yours"), "FORBIDDEN");
        assertRefused(a, Map.of("type", "edit", "conv", conv, "msgId", image, "body", "caption"), "FORBIDDEN");
        assertRefused(b, Map.of("type", "recall", "conv", conv, "msgId", text), "FORBIDDEN");
        assertRefused(o, Map.of("type", "react", "conv", conv, "msgId", text, "emoji", "👍"), "FORBIDDEN");
        assertRefused(b, Map.of("type", "react", "conv", conv, "msgId", text, "emoji", "two words"), "INVALID_FIELD");
        assertRefused(a, Map.of("type", "edit", "conv", conv, "msgId", text, "body", " "), "INVALID_FIELD");
        String otherConv = ConversationId.direct(alice, bob).value();
        assertRefused(a, Map.of("type", "edit", "conv", otherConv, "msgId", text, "body", "x"), "NOT_FOUND");

        // as if sent long ago: the recall window (2 min) and then the edit window (48 h) are closed
        String record = "chat:msg:{" + conv + "}:" + text;
        redis.hash(String.class).hset(record, "ts", String.valueOf(System.currentTimeMillis() - Duration.ofMinutes(3).toMillis()));
        assertRefused(a, Map.of("type", "recall", "conv", conv, "msgId", text), "FORBIDDEN");
        a.send(Map.of("type", "edit", "id", "late", "conv", conv, "msgId", text, "body", "still editable"));
        assertEquals("ack", a.awaitReply("late").get("type").asText());
        redis.hash(String.class).hset(record, "ts", String.valueOf(System.currentTimeMillis() - Duration.ofHours(49).toMillis()));
        assertRefused(a, Map.of("type", "edit", "conv", conv, "msgId", text, "body", "too late"), "FORBIDDEN");

        // a group admin (mirrored by auth in group:{gid}:admins) recalls any message at any time
        redis.set(String.class).sadd(GroupKeys.admins(gid), String.valueOf(bob));
        b.send(Map.of("type", "recall", "id", "admin", "conv", conv, "msgId", text));
        assertEquals("ack", b.awaitReply("admin").get("type").asText());
        assertEquals("recall", a.await(f -> "update".equals(f.path("type").asText()) && "recall".equals(f.path("op").asText()),
                Duration.ofSeconds(5)).get("op").asText());
    }

    @Test
    void theServingAgentRecallsAnyMessageOfTheConsultationAtAnyTime() {
        long customerId = TestUsers.newUid();
        long agentId = TestUsers.newUid();
        WsClient customer = connect(users.login(customerId, "phone"));
        WsClient agent = connect(users.login(agentId, "desk", "AGENT"));
        agent.await("desk.queue");
        customer.send(Map.of("type", "desk.open", "id", "o", "topic", "my card number"));
        String ticket = customer.awaitReply("o").get("ticket").asText();
        agent.send(Map.of("type", "desk.grab", "id", "g", "ticket", ticket));
        assertEquals("ack", agent.awaitReply("g").get("type").asText());
        String card = send(customer, "m", ticket, "it is 4111 1111 1111 1111");
        redis.hash(String.class).hset("chat:msg:{" + ticket + "}:" + card, "ts",
                String.valueOf(System.currentTimeMillis() - Duration.ofHours(1).toMillis()));
        assertRefused(customer, Map.of("type", "recall", "conv", ticket, "msgId", card), "FORBIDDEN");
        agent.send(Map.of("type", "recall", "id", "r", "conv", ticket, "msgId", card));
        assertEquals("ack", agent.awaitReply("r").get("type").asText());
        assertEquals("recall", customer.await(f -> "update".equals(f.path("type").asText()), Duration.ofSeconds(5)).get("op").asText());
    }

    @Test
    void aMessageTakesAtMostTwentyDifferentEmoji() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        WsClient a = connect(users.login(alice, "d"));
        WsClient b = connect(users.login(bob, "d"));
        String conv = ConversationId.direct(alice, bob).value();
        String msgId = send(a, "m", Map.of("user", bob), "react to me");
        for (int i = 0; i < 20; i++) {
            b.send(Map.of("type", "react", "id", "r" + i, "conv", conv, "msgId", msgId, "emoji", "e" + i));
            assertEquals("ack", b.awaitReply("r" + i).get("type").asText());
        }
        b.send(Map.of("type", "react", "id", "again", "conv", conv, "msgId", msgId, "emoji", "e3"));
        assertEquals("ack", b.awaitReply("again").get("type").asText(), "one more of an emoji already there is fine");
        assertRefused(b, Map.of("type", "react", "conv", conv, "msgId", msgId, "emoji", "e20"), "FORBIDDEN");
        b.send(Map.of("type", "react", "id", "off", "conv", conv, "msgId", msgId, "emoji", "e0", "on", false));
        assertEquals("ack", b.awaitReply("off").get("type").asText());
        b.send(Map.of("type", "react", "id", "room", "conv", conv, "msgId", msgId, "emoji", "e20"));
        assertEquals("ack", b.awaitReply("room").get("type").asText(), "removing one made room");
    }

    @Test
    void hideReachesOnlyMyOwnOtherDevicesWithoutASeq() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        WsClient a = connect(users.login(alice, "d"));
        WsClient bobPhone = connect(users.login(bob, "phone"));
        WsClient bobLaptop = connect(users.login(bob, "laptop"));
        String msgId = send(a, "m", Map.of("user", bob), "hide me");
        String conv = ConversationId.direct(alice, bob).value();
        bobPhone.send(Map.of("type", "hide", "id", "h", "conv", conv, "msgId", msgId));
        JsonNode ack = bobPhone.awaitReply("h");
        assertEquals("ack", ack.get("type").asText());
        assertFalse(ack.has("seq"));
        JsonNode update = bobLaptop.await("update");
        assertEquals("hide", update.get("op").asText());
        assertFalse(update.has("seq"));
        assertTrue(a.collect("update", Duration.ofMillis(300)).isEmpty(), "the other side never hears of it");
        assertEquals("hide", updatesOnTheLog(conv).get(0).op());
    }

    @Test
    void repliesMentionsAndForwardsAreCheckedAndCarried() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        long carol = TestUsers.newUid();
        long gid = users.newGroup(alice, bob);
        String conv = "g." + gid;
        WsClient a = connect(users.login(alice, "d"));
        WsClient b = connect(users.login(bob, "d"));
        WsClient c = connect(users.login(carol, "d"));
        String question = send(a, "q", conv, "lunch at noon?");
        b.await("message");

        b.send(Map.of("type", "send", "id", "r", "cid", "r", "to", conv, "kind", "text", "body", "@alice yes",
                "replyTo", question, "mentions", List.of(alice)));
        long answerSeq = b.awaitReply("r").get("seq").asLong();
        JsonNode reply = a.await("message");
        assertEquals(answerSeq, reply.get("seq").asLong());
        assertEquals(question, reply.get("replyTo").get("msgId").asText());
        assertEquals(1, reply.get("replyTo").get("seq").asLong());
        assertEquals(alice, reply.get("replyTo").get("from").asLong());
        assertEquals("lunch at noon?", reply.get("replyTo").get("preview").asText());
        assertEquals(alice, reply.get("mentions").get(0).asLong());

        String elsewhere = send(c, "c", Map.of("user", alice), "in another conversation");
        a.await("message");
        assertRefused(b, Map.of("type", "send", "cid", "x1", "to", conv, "kind", "text", "body", "?", "replyTo", elsewhere),
                "INVALID_FIELD");
        assertRefused(b, Map.of("type", "send", "cid", "x2", "to", conv, "kind", "text", "body", "?", "mentions", List.of(carol)),
                "INVALID_FIELD");
        assertRefused(b, Map.of("type", "send", "cid", "x3", "to", conv, "kind", "text", "body", "@all", "mentions", List.of("all")),
                "FORBIDDEN");
        redis.set(String.class).sadd(GroupKeys.admins(gid), String.valueOf(alice));
        a.send(Map.of("type", "send", "id", "all", "cid", "all", "to", conv, "kind", "text", "body", "@all meeting",
                "mentions", List.of("all")));
        assertEquals("ack", a.awaitReply("all").get("type").asText());
        assertEquals("all", b.await("message").get("mentions").get(0).asText());

        // forward: alice may read carol's direct message, so she can forward it into the group; bob cannot
        String aliceCarol = ConversationId.direct(alice, carol).value();
        a.send(Map.of("type", "send", "id", "f", "cid", "f", "to", conv, "forwardOf", Map.of("conv", aliceCarol, "msgId", elsewhere)));
        assertEquals("ack", a.awaitReply("f").get("type").asText());
        JsonNode forwarded = b.await("message");
        assertEquals("in another conversation", forwarded.get("body").asText());
        assertEquals("text", forwarded.get("kind").asText());
        assertEquals(elsewhere, forwarded.get("forwardOf").get("msgId").asText());
        assertRefused(b, Map.of("type", "send", "cid", "f2", "to", conv, "forwardOf", Map.of("conv", aliceCarol, "msgId", elsewhere)),
                "NOT_FOUND");
    }

    @Inject
    MediaUrlSigner signer;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Test
    void sendWithAnUploadCarriesItsStoredMetadataAndASignedUrlAndForwardsKeepIt() throws Exception {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        long carol = TestUsers.newUid();
        String conv = "g." + users.newGroup(alice, bob);
        WsClient a = connect(users.login(alice, "d"));
        WsClient b = connect(users.login(bob, "d"));
        WsClient c = connect(users.login(carol, "d"));
        // what history-service leaves in Redis after POST /media (UploadRecords)
        String upload = new org.bson.types.ObjectId().toHexString();
        redis.value(String.class).setex(MediaKeys.upload(upload), 3600, json.writeValueAsString(new UploadRecord(upload, alice,
                "image/png", 5120, "cat.png", "ab".repeat(32), 640, 480, null, true)));

        a.send(Map.of("type", "send", "id", "m", "cid", "m", "to", conv, "kind", "image", "body", "our cat",
                "media", Map.of("id", upload, "url", "https://elsewhere.example/ignored.png", "mime", "text/html")));
        JsonNode ack = a.awaitReply("m");
        assertEquals("ack", ack.get("type").asText(), ack.toString());
        JsonNode media = b.await("message").get("media");
        assertEquals(upload, media.get("id").asText());
        assertEquals("image/png", media.get("mime").asText(), "the stored type, not the frame's");
        assertEquals(5120, media.get("size").asLong());
        assertEquals("cat.png", media.get("name").asText());
        assertEquals("ab".repeat(32), media.get("sha256").asText());
        assertEquals(640, media.get("width").asInt());
        assertEquals(480, media.get("height").asInt());
        assertSigned(media.get("url").asText(), "/media/" + upload + "?");
        assertSigned(media.get("thumbnail").asText(), "/media/" + upload + "/thumbnail?");
        io.chatplatform.common.event.MessageEvent logged = messagesOnTheLog(conv).stream()
                .filter(e -> e.msgId().equals(ack.get("msgId").asText())).findFirst().orElseThrow();
        assertEquals(upload, logged.media().id(), "history stores the upload's id (access) from the log");
        assertEquals("our cat", logged.body());
        assertEquals("ab".repeat(32), logged.media().sha256());

        // forwarded by alice into her conversation with carol: carol's copy names the same upload, freshly signed
        a.send(Map.of("type", "send", "id", "f", "cid", "f", "to", Map.of("user", carol),
                "forwardOf", Map.of("conv", conv, "msgId", ack.get("msgId").asText())));
        assertEquals("ack", a.awaitReply("f").get("type").asText());
        JsonNode forwarded = c.await("message").get("media");
        assertEquals(upload, forwarded.get("id").asText());
        assertSigned(forwarded.get("url").asText(), "/media/" + upload + "?");

        assertRefused(b, Map.of("type", "send", "cid", "o", "to", conv, "kind", "image", "media", Map.of("id", upload)),
                "NOT_FOUND"); // someone else's upload
        assertRefused(a, Map.of("type", "send", "cid", "u", "to", conv, "kind", "file",
                "media", Map.of("id", new org.bson.types.ObjectId().toHexString())), "NOT_FOUND"); // no such upload
        assertRefused(a, Map.of("type", "send", "cid", "x", "to", conv, "kind", "file", "media", Map.of("id", "../etc")),
                "INVALID_FIELD");
        assertTrue(b.collect("message", Duration.ofMillis(300)).isEmpty(), "refused sends reach nobody");

        // a link stays a link
        a.send(Map.of("type", "send", "id", "l", "cid", "l", "to", conv, "kind", "file",
                "media", Map.of("url", "https://cdn.example/report.pdf", "mime", "application/pdf", "name", "report.pdf")));
        assertEquals("ack", a.awaitReply("l").get("type").asText());
        JsonNode link = b.await("message").get("media");
        assertEquals("https://cdn.example/report.pdf", link.get("url").asText());
        assertFalse(link.has("id"));
    }

    private void assertSigned(String url, String prefix) {
        assertTrue(url.startsWith(prefix), url);
        java.util.Map<String, String> q = new java.util.HashMap<>();
        for (String kv : url.substring(url.indexOf('?') + 1).split("&")) {
            q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        String id = url.substring("/media/".length(), "/media/".length() + 24);
        assertEquals(MediaUrlSigner.Check.VALID, signer.check(id, q.get("exp"), q.get("sig")), url);
    }

    private List<io.chatplatform.common.event.MessageEvent> messagesOnTheLog(String conv) {
        List<io.chatplatform.common.event.MessageEvent> events = new ArrayList<>();
        String stream = LogPartitions.streamKeyOf(conv, 8);
        for (StreamMessage<String, String, String> entry : redis.stream(String.class).xrange(stream, StreamRange.of("-", "+"))) {
            StreamEventCodec.decode(entry.payload().get("e"))
                    .filter(e -> e instanceof io.chatplatform.common.event.MessageEvent && e.conv().equals(conv))
                    .ifPresent(e -> events.add((io.chatplatform.common.event.MessageEvent) e));
        }
        return events;
    }

    private static String send(WsClient socket, String id, Object to, String body) {
        socket.send(Map.of("type", "send", "id", id, "cid", id + System.nanoTime(), "to", to, "kind", "text", "body", body));
        JsonNode ack = socket.awaitReply(id);
        assertEquals("ack", ack.get("type").asText(), ack.toString());
        return ack.get("msgId").asText();
    }

    private static int refusals;

    private static void assertRefused(WsClient socket, Map<String, ?> frame, String code) {
        String id = "refused-" + (++refusals);
        Map<String, Object> withId = new java.util.HashMap<>(frame);
        withId.put("id", id);
        socket.send(withId);
        JsonNode reply = socket.awaitReply(id);
        assertEquals("error", reply.get("type").asText(), frame + " → " + reply);
        assertEquals(code, reply.get("code").asText(), frame + " → " + reply);
    }

    private List<UpdateEvent> updatesOnTheLog(String conv) {
        List<UpdateEvent> events = new ArrayList<>();
        String stream = LogPartitions.streamKeyOf(conv, 8);
        for (StreamMessage<String, String, String> entry : redis.stream(String.class).xrange(stream, StreamRange.of("-", "+"))) {
            StreamEventCodec.decode(entry.payload().get("e"))
                    .filter(e -> e instanceof UpdateEvent && e.conv().equals(conv))
                    .ifPresent(e -> events.add((UpdateEvent) e));
        }
        return events;
    }
}

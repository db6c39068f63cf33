package io.chatplatform.e2e;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.localstack.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Register → log in → ticket → chat over the WebSocket → the same messages and unread counts from history. Also runs in
 * the cluster pass ({@code CHAT_TEST_REDIS=cluster}: the services on a 3-primary Redis Cluster).
 */
@Tag("cluster")
class ChatThroughHistoryTest {

    private final Platform platform = Platform.get();

    @Test
    void aConversationTravelsFromChatIntoHistory() throws Exception {
        Client alice = Client.register(platform, "alice").login("phone");
        Client bob = Client.register(platform, "bob").login("laptop");
        try (WsClient aliceSocket = alice.connect(); WsClient bobSocket = bob.connect()) {
            for (int i = 1; i <= 3; i++) {
                aliceSocket.send(Map.of("type", "send", "id", "a" + i, "cid", "a" + i, "to", Map.of("user", bob.uid),
                        "kind", "text", "body", "message " + i));
                assertEquals("ack", aliceSocket.awaitReply("a" + i).get("type").asText());
            }
            assertEquals(3, bobSocket.collectUntil("message", 3, Duration.ofSeconds(5)).size());
            String conv = ConversationId.direct(alice.uid, bob.uid).value();

            JsonNode bobsList = eventually(() -> bob.history("/history/conversations"),
                    list -> list.get("items").size() == 1 && list.get("items").get(0).get("lastSeq").asLong() == 3);
            JsonNode item = bobsList.get("items").get(0);
            assertEquals(conv, item.get("conv").asText());
            assertEquals(3, item.get("unread").asLong(), "bob has read nothing yet");
            assertEquals("message 3", item.get("lastMessage").get("text").asText());

            bobSocket.send(Map.of("type", "read", "id", "r", "conv", conv, "seq", 2));
            bobSocket.awaitReply("r");
            assertEquals(2, aliceSocket.await("receipt").get("seq").asLong());
            eventually(() -> bob.history("/history/conversations"), list -> list.get("items").get(0).get("unread").asLong() == 1);
            JsonNode alicesList = alice.history("/history/conversations").json();
            assertEquals(0, alicesList.get("items").get(0).get("unread").asLong(), "own messages are never unread");

            JsonNode page = bob.history("/history/conversations/" + conv + "/messages?limit=2").json();
            assertEquals(2, page.get("items").size());
            assertEquals(2, page.get("items").get(0).get("seq").asLong());
            assertEquals(3, page.get("items").get(1).get("seq").asLong());
            JsonNode older = bob.history("/history/conversations/" + conv + "/messages?before=" + page.get("nextBefore").asLong()).json();
            assertEquals("message 1", older.get("items").get(0).get("body").asText());

            Client eve = Client.register(platform, "eve").login("web");
            assertEquals(404, eve.history("/history/conversations/" + conv + "/messages").status(), "outsiders see nothing");
        }
    }

    @Test
    void anUploadSentThroughChatOpensOnHistoryWithChatsSignedUrlAndForMembersWhereItWasForwarded() throws Exception {
        Client alice = Client.register(platform, "alice").login("phone");
        Client bob = Client.register(platform, "bob").login("laptop");
        Client carol = Client.register(platform, "carol").login("web");
        Client eve = Client.register(platform, "eve").login("web");
        byte[] pdf = ("%PDF-1.4\n" + "minutes of the meeting\n".repeat(500) + "%%EOF\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Client.Response up = alice.upload(pdf, "application/pdf", "minutes.pdf");
        assertEquals(201, up.status(), up.body());
        String id = up.json().get("id").asText();
        try (WsClient a = alice.connect(); WsClient b = bob.connect(); WsClient c = carol.connect()) {
            a.send(Map.of("type", "send", "id", "m", "cid", "m", "to", Map.of("user", bob.uid), "kind", "file",
                    "body", "the minutes", "media", Map.of("id", id)));
            JsonNode ack = a.awaitReply("m");
            assertEquals("ack", ack.get("type").asText(), ack.toString());
            JsonNode media = b.await("message").get("media");
            assertEquals(id, media.get("id").asText());
            assertEquals("minutes.pdf", media.get("name").asText());
            assertEquals(pdf.length, media.get("size").asLong());
            assertEquals(up.json().get("sha256").asText(), media.get("sha256").asText());
            // signed by chat-service, checked by history-service: the one media.url-secret
            var signed = bob.historyBytes(media.get("url").asText(), false);
            assertEquals(200, signed.statusCode());
            org.junit.jupiter.api.Assertions.assertArrayEquals(pdf, signed.body());

            // someone else's upload cannot be sent
            b.send(Map.of("type", "send", "id", "x", "cid", "x", "to", Map.of("user", alice.uid), "kind", "file",
                    "media", Map.of("id", id)));
            assertEquals("NOT_FOUND", b.awaitReply("x").get("code").asText());

            // bob forwards it to carol: carol may now read the file with her bearer, eve still may not
            assertEquals(404, carol.historyBytes("/media/" + id, true).statusCode(), "not before the forward");
            String direct = ConversationId.direct(alice.uid, bob.uid).value();
            b.send(Map.of("type", "send", "id", "f", "cid", "f", "to", Map.of("user", carol.uid),
                    "forwardOf", Map.of("conv", direct, "msgId", ack.get("msgId").asText())));
            assertEquals("ack", b.awaitReply("f").get("type").asText());
            assertEquals(id, c.await("message").get("media").get("id").asText());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (carol.historyBytes("/media/" + id, true).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("carol never got access to the forwarded file");
                }
                Thread.sleep(200);
            }
            assertEquals(404, eve.historyBytes("/media/" + id, true).statusCode());
            // history serves the message with a fresh signed URL that opens without a bearer
            String conv = ConversationId.direct(bob.uid, carol.uid).value();
            JsonNode page = eventually(() -> carol.history("/history/conversations/" + conv + "/messages"),
                    p -> p.get("items").size() == 1);
            String fresh = page.get("items").get(0).get("media").get("url").asText();
            assertEquals(200, eve.historyBytes(fresh, false).statusCode(), "a signed URL opens for whoever holds it");
        }
    }

    @Test
    void aNewLoginOnTheSameDeviceSignsTheOldSocketOutAcrossServices() {
        Client carol = Client.register(platform, "carol").login("phone");
        try (WsClient phone = carol.connect(); WsClient tablet = Client.existing(platform, carol.username, carol.password)
                .login("tablet").connect()) {
            phone.assertAlive();
            String oldToken = carol.token;
            carol.login("phone");
            assertEquals(4001, phone.awaitClose(Duration.ofSeconds(2)));
            tablet.assertAlive();
            Client stale = Client.existing(platform, carol.username, carol.password);
            stale.token = oldToken;
            assertEquals(401, stale.history("/history/conversations").status());
            assertEquals(401, stale.auth("GET", "/auth/me", null).status());
            assertEquals(200, carol.history("/history/conversations").status());
        }
    }

    static JsonNode eventually(Supplier<Client.Response> call, java.util.function.Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Client.Response response = call.get();
            if (response.status() == 200) {
                last = response.json();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("history never showed it; last answer " + last);
    }

}

package io.chatplatform.history.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.Mentions;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.chatplatform.common.session.PushKeys;
import io.chatplatform.common.session.SessionKeys;
import io.chatplatform.common.session.UserKeys;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.TestUsers;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The notifier end to end with a real local webhook receiver that verifies the HMAC: one notification per (message,
 * offline device) however often the entry is delivered, online devices, the sender, blockers and muted conversations
 * skipped (a mention still notifies), the badge is the total unread, 5xx retried to one delivery.
 */
@QuarkusTest
@Tag("cluster")
class WebhookPushTest {

    private static final String SECRET = "test-webhook-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RedisDataSource redis;

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Statuses to answer next (then 200). */
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private int attempts;

    record Received(String path, JsonNode body, String timestamp, boolean signatureValid, String delivery) {
    }

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String body = new String(raw, StandardCharsets.UTF_8);
            String ts = exchange.getRequestHeaders().getFirst("X-Chat-Timestamp");
            String sig = exchange.getRequestHeaders().getFirst("X-Chat-Signature");
            boolean valid = ts != null && sig != null && sig.equals("sha256=" + hmac(ts + "." + body));
            synchronized (this) {
                attempts++;
            }
            Integer status = answers.poll();
            if (status == null) {
                received.add(new Received(exchange.getRequestURI().getPath(), JSON.readTree(body), ts, valid,
                        exchange.getRequestHeaders().getFirst("X-Chat-Delivery")));
                status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void oneSignedNotificationPerOfflineDeviceWithBadgeAndSkips() throws Exception {
        TestUsers users = new TestUsers(redis);
        long alice = TestLog.newId();
        long bob = TestLog.newId();
        long carol = TestLog.newId();
        long dave = TestLog.newId();
        long gid = TestLog.newId();
        users.joinGroup(gid, alice, bob, carol);
        register(alice, "phone");
        register(bob, "phone");
        register(bob, "laptop");
        session(bob, "tablet"); // no registration
        register(carol, "phone");
        register(dave, "phone");
        // bob's laptop has an open connection on a live chat instance
        String instance = "inst-" + UUID.randomUUID();
        redis.value(String.class).setex(PushKeys.chatInstance(instance), 60, "1");
        redis.hash(String.class).hset(PushKeys.presence(bob), "laptop", instance);
        // dave blocked alice
        redis.set(String.class).sadd(UserKeys.blocks(dave), UserKeys.BLOCKS_MIRRORED, String.valueOf(alice));

        String direct = "d." + Math.min(alice, bob) + "." + Math.max(alice, bob);
        MessageEvent m1 = TestLog.message(direct, 1, alice, "secret text", List.of(alice, bob));
        MessageEvent m2 = TestLog.message(direct, 2, alice, "more", List.of(alice, bob));
        // the same entry twice in the log (a producer retry) and m1 again
        append(m1);
        append(m1);
        Eventually.await(Duration.ofSeconds(20), "bob's phone gets m1", () -> forUser(bob).size() >= 1);
        awaitStored(users, bob, direct, 1);
        String id2 = append(m2);
        Eventually.await(Duration.ofSeconds(20), "bob's phone gets both", () -> forUser(bob).size() >= 2);
        awaitProcessed(TestLog.streamOf(direct), id2);
        // redeliver the whole stream to the push group: the sent-markers keep it at one per (message, device)
        redis.execute("XGROUP", "SETID", TestLog.streamOf(direct), "push", "0");
        String id3 = append(TestLog.message(direct, 3, bob, "reply", List.of(alice, bob)));
        Eventually.await(Duration.ofSeconds(20), "alice gets bob's reply", () -> forUser(alice).size() == 1);
        awaitProcessed(TestLog.streamOf(direct), id3);

        List<Received> toBob = forUser(bob);
        assertEquals(2, toBob.size(), "exactly once per (message, device); laptop online, tablet unregistered: " + toBob);
        for (Received r : received) {
            assertTrue(r.signatureValid(), "HMAC of timestamp.body verifies");
            assertTrue(Math.abs(Long.parseLong(r.timestamp()) - System.currentTimeMillis() / 1000) < 60);
        }
        Received first = toBob.get(0);
        assertEquals("/hook/" + bob + "/phone", first.path());
        assertEquals("message", first.body().get("type").asText());
        assertEquals(direct, first.body().get("conv").asText());
        assertEquals(1, first.body().get("seq").asLong());
        assertEquals(m1.msgId(), first.body().get("msgId").asText());
        assertEquals(alice, first.body().get("from").asLong());
        assertEquals(bob, first.body().get("to").asLong());
        assertEquals("New message", first.body().get("preview").asText(), "previews are off by default");
        assertEquals(1, first.body().get("unread").asLong(), "badge: bob's total unread");
        assertEquals(m1.ts(), first.body().get("ts").asLong());
        assertEquals(m1.msgId() + ":" + bob + ":phone", first.delivery());
        assertEquals(2, toBob.get(1).body().get("unread").asLong());
        assertEquals(List.of(), forUser(alice).stream().filter(r -> r.body().get("from").asLong() == alice).toList(),
                "the sender is never notified");

        // mute: carol mutes the group; bob still notified, carol only when mentioned
        users.login(carol).api().contentType("application/json").body(Map.of("muted", true))
                .put("/history/conversations/g." + gid + "/settings").then().statusCode(200);
        users.login(carol).api().contentType("application/json").body(Map.of("muted", "yes"))
                .put("/history/conversations/g." + gid + "/settings").then().statusCode(400);
        users.login(dave).api().contentType("application/json").body(Map.of("muted", true))
                .put("/history/conversations/g." + gid + "/settings").then().statusCode(404);
        String group = "g." + gid;
        append(TestLog.message(group, 1, alice, "hello all", null));
        awaitStored(users, bob, direct, 2);
        awaitStored(users, bob, group, 1);
        MessageEvent mention = new MessageEvent(StreamEvent.VERSION, MessageEvent.TYPE, UUID.randomUUID().toString(), group, 2,
                alice, "dev", MessageEvent.USER, "text", "@carol", null, System.currentTimeMillis(), null, null,
                Mentions.of(List.of(carol)), null);
        String idm = append(mention);
        Eventually.await(Duration.ofSeconds(20), "carol gets the mention", () -> forUser(carol).size() == 1);
        awaitProcessed(TestLog.streamOf(group), idm);
        assertEquals(2, forUser(carol).get(0).body().get("seq").asLong(), "muted: only the mention notifies carol");
        assertEquals(4, forUser(bob).size(), "bob gets both group messages");
        assertEquals(2, forUser(bob).get(3).body().get("unread").asLong(),
                "badge over all conversations: the direct one is read up to bob's reply, the group has two");
        Eventually.await(Duration.ofSeconds(20), "the list shows the mute", () -> users.login(carol).api()
                .get("/history/conversations").then().extract().jsonPath().getList("items.findAll { it.conv == '" + group
                        + "' }.muted").equals(List.of(true)));

        // blocked sender: dave is not notified
        String blockedConv = "d." + Math.min(alice, dave) + "." + Math.max(alice, dave);
        String idb = append(TestLog.message(blockedConv, 1, alice, "hi dave", List.of(alice, dave)));
        awaitProcessed(TestLog.streamOf(blockedConv), idb);
        assertEquals(0, forUser(dave).size(), "dave blocked alice");

        // 5xx twice, then success: one delivery after three attempts
        synchronized (this) {
            attempts = 0;
        }
        answers.add(503);
        answers.add(500);
        String id4 = append(TestLog.message(direct, 4, alice, "retry", List.of(alice, bob)));
        Eventually.await(Duration.ofSeconds(20), "delivered after retries", () -> forUser(bob).size() == 5);
        awaitProcessed(TestLog.streamOf(direct), id4);
        synchronized (this) {
            assertEquals(3, attempts);
        }
        assertEquals(5, forUser(bob).size());

        // a refusal (4xx) is dead-lettered at once
        answers.add(400);
        MessageEvent m5 = TestLog.message(direct, 5, alice, "refused", List.of(alice, bob));
        String id5 = append(m5);
        awaitProcessed(TestLog.streamOf(direct), id5);
        assertEquals(5, forUser(bob).size());
        List<String> letters = new ArrayList<>();
        redis.stream(String.class).xrange("push:dlq", io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"))
                .forEach(m -> letters.add(m.payload().get("n")));
        assertTrue(letters.stream().anyMatch(l -> l.contains(m5.msgId()) && l.contains("HTTP 400")), letters.toString());
    }

    /** The ingest stored the conversation up to seq (the badge counts stored messages). */
    private static void awaitStored(TestUsers users, long uid, String conv, long seq) {
        TestUsers.User user = users.login(uid);
        Eventually.await(Duration.ofSeconds(20), conv + " stored up to " + seq, () -> user.api().get("/history/conversations")
                .then().extract().jsonPath().<Integer>getList("items.findAll { it.conv == '" + conv + "' }.lastSeq")
                .stream().anyMatch(s -> s >= seq));
    }

    private List<Received> forUser(long uid) {
        return received.stream().filter(r -> r.body().get("to").asLong() == uid).toList();
    }

    private void session(long uid, String device) {
        redis.hash(String.class).hset(SessionKeys.sessions(uid), device, "jti-" + device);
        redis.hash(String.class).hset(SessionKeys.sessionMeta(uid, device), "loginAt", "2026-01-01T00:00:00Z");
    }

    private void register(long uid, String device) {
        session(uid, device);
        redis.hash(String.class).hset(SessionKeys.sessionMeta(uid, device), Map.of(PushKeys.PROVIDER_FIELD, PushKeys.WEBHOOK,
                PushKeys.TOKEN_FIELD, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/" + uid + "/" + device));
    }

    private String append(StreamEvent event) {
        return redis.execute("XADD", TestLog.streamOf(event.conv()), "*", "e", StreamEventCodec.encode(event)).toString();
    }

    /** The push group delivered the entry and acknowledged it. */
    private void awaitProcessed(String stream, String id) {
        Eventually.await(Duration.ofSeconds(20), "push group processed " + id, () -> {
            var pending = redis.execute("XPENDING", stream, "push", id, id, "10");
            if (pending != null && pending.size() > 0) {
                return false;
            }
            for (var g : redis.execute("XINFO", "GROUPS", stream)) {
                if ("push".equals(g.get("name").toString())) {
                    return io.chatplatform.common.redis.StreamId.parse(g.get("last-delivered-id").toString())
                            .compareTo(io.chatplatform.common.redis.StreamId.parse(id)) >= 0;
                }
            }
            return false;
        });
    }

    private static String hmac(String text) {
        return WebhookProvider.sign(SECRET, text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1));
    }
}

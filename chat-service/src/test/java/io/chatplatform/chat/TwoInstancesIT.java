package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.chat.presence.PresenceKeys;
import io.chatplatform.localstack.StoresTestResource;
import io.chatplatform.localstack.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two chat instances sharing one Redis: this test's Quarkus app (instance A) and the packaged jar started as a
 * second process (instance B). Runs in the integration-test phase, after the jar is built.
 */
@Tag("cluster")
@QuarkusTest
@TestProfile(TwoInstancesIT.FastPresence.class)
class TwoInstancesIT extends ChatTestBase {

    static final Map<String, String> SHARED = Map.of(
            "chat.presence.ttl", "3s",
            "chat.limits.frames-per-second", "5000",
            "chat.limits.frame-burst", "5000");

    public static class FastPresence implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SHARED;
        }
    }

    private static Process instanceB;
    private static int portB;

    @BeforeAll
    static void startInstanceB() throws Exception {
        portB = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.port=" + portB, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.redis.hosts=" + StoresTestResource.redisUri(),
                "-Dquarkus.mongodb.connection-string=" + StoresTestResource.mongoConnectionString(),
                "-Dquarkus.redis.client-type=" + StoresTestResource.redisClientType()));
        TestTokens.verifierConfig().forEach((key, value) -> command.add("-D" + key + "=" + value));
        SHARED.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        Path log = Files.createDirectories(Path.of("target")).resolve("instance-b.log");
        instanceB = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitReady(portB, log);
    }

    @AfterAll
    static void stopInstanceB() {
        if (instanceB != null) {
            instanceB.destroyForcibly();
        }
    }

    @Test
    void usersOnDifferentInstancesExchangeAThousandMessagesOnceEachInOrder() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        WsClient aliceOnA = connect(users.login(alice, "phone"));
        WsClient bobOnB = track(WsClient.bearer(uriOfB(), users.login(bob, "phone").token()));
        WsClient aliceLaptopOnB = track(WsClient.bearer(uriOfB(), users.login(alice, "laptop").token()));
        aliceOnA.assertAlive();
        bobOnB.assertAlive();

        int count = 1000;
        int window = 100; // a client keeps at most this many sends unacknowledged
        for (int i = 0; i < count; i++) {
            aliceOnA.send(Map.of("type", "send", "id", "a" + i, "cid", "a" + i, "to", Map.of("user", bob), "kind", "text", "body", "a" + i));
            bobOnB.send(Map.of("type", "send", "id", "b" + i, "cid", "b" + i, "to", Map.of("user", alice), "kind", "text", "body", "b" + i));
            if (i % window == window - 1) {
                // a window of 100 sends through Redis to the other instance: seconds when the CPU is shared
                String a = "a" + i;
                String b = "b" + i;
                aliceOnA.await(f -> a.equals(f.path("id").asText()), Duration.ofSeconds(30));
                bobOnB.await(f -> b.equals(f.path("id").asText()), Duration.ofSeconds(30));
            }
        }
        List<JsonNode> atBob = bobOnB.collectUntil("message", count, Duration.ofSeconds(60));
        List<JsonNode> atAlice = aliceOnA.collectUntil("message", count, Duration.ofSeconds(60));
        List<JsonNode> atAliceLaptop = aliceLaptopOnB.collectUntil("message", 2 * count, Duration.ofSeconds(60));

        assertInOrderOnce(atBob, "a", count);
        assertInOrderOnce(atAlice, "b", count);
        assertEquals(2 * count, atAliceLaptop.size(), "alice's other device sees both directions");
        assertTrue(bobOnB.collect("message", Duration.ofMillis(300)).isEmpty(), "nothing delivered twice");
    }

    @Test
    void killingAnInstanceLeavesTheOtherServingAndItsUsersPresenceExpires() throws Exception {
        long carol = TestUsers.newUid();
        long dave = TestUsers.newUid();
        long erin = TestUsers.newUid();
        WsClient carolOnA = connect(users.login(carol, "phone"));
        WsClient erinOnA = connect(users.login(erin, "phone"));
        WsClient daveOnB = track(WsClient.bearer(uriOfB(), users.login(dave, "phone").token()));
        daveOnB.assertAlive();
        assertTrue(redis.key().exists(PresenceKeys.presence(dave)));

        instanceB.destroyForcibly().waitFor();
        daveOnB.awaitClose(Duration.ofSeconds(10));

        carolOnA.send(Map.of("type", "send", "id", "1", "cid", "k1", "to", Map.of("user", erin), "kind", "text", "body", "still here"));
        assertEquals(1, carolOnA.awaitReply("1").get("seq").asLong());
        assertEquals("still here", erinOnA.await("message").get("body").asText());
        carolOnA.send(Map.of("type", "send", "id", "2", "cid", "k2", "to", Map.of("user", dave), "kind", "text", "body", "offline"));
        assertEquals("ack", carolOnA.awaitReply("2").get("type").asText(), "sending to a user of the dead instance still works");

        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (redis.key().exists(PresenceKeys.presence(dave)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(!redis.key().exists(PresenceKeys.presence(dave)), "presence of the dead instance's user expired");
        assertTrue(redis.key().exists(PresenceKeys.presence(carol)), "live users stay present");
        startInstanceB();
    }

    @Test
    void aStoppingInstanceClosesItsConnectionsWith1001AndLeavesPresence() throws Exception {
        long frank = TestUsers.newUid();
        WsClient frankOnB = track(WsClient.bearer(uriOfB(), users.login(frank, "phone").token()));
        frankOnB.assertAlive();
        long start = System.nanoTime();
        instanceB.destroy(); // SIGTERM: a graceful stop
        assertEquals(1001, frankOnB.awaitClose(Duration.ofSeconds(5)));
        System.out.printf("closed with 1001 %d ms after SIGTERM%n", (System.nanoTime() - start) / 1_000_000);
        assertTrue(instanceB.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "instance B exits");
        assertTrue(!redis.key().exists(PresenceKeys.presence(frank)), "its devices left presence");
        startInstanceB();
    }

    @Test
    void deskQueueAndTicketsLiveInRedisNotInAnInstance() throws Exception {
        long customerId = TestUsers.newUid();
        WsClient customerOnA = connect(users.login(customerId, "phone"));
        customerOnA.send(Map.of("type", "desk.open", "id", "o", "topic", "survives restarts"));
        String ticket = customerOnA.awaitReply("o").get("ticket").asText();

        instanceB.destroy();
        instanceB.waitFor();
        startInstanceB(); // a freshly started instance knows nothing in memory

        long agentId = TestUsers.newUid();
        WsClient agentOnB = track(WsClient.bearer(uriOfB(), users.login(agentId, "desk", "AGENT").token()));
        JsonNode snapshot = agentOnB.await("desk.queue");
        assertTrue(snapshot.get("items").findValuesAsText("ticket").contains(ticket), "the new instance serves the waiting queue");
        agentOnB.send(Map.of("type", "desk.grab", "id", "g", "ticket", ticket));
        assertEquals("SERVING", agentOnB.awaitReply("g").get("state").asText());
        JsonNode state = customerOnA.await(f -> "desk.state".equals(f.path("type").asText()) && "SERVING".equals(f.path("state").asText()),
                Duration.ofSeconds(5));
        assertEquals(agentId, state.get("agent").asLong(), "the customer on the other instance hears of it");
        agentOnB.send(Map.of("type", "send", "id", "m", "cid", "m", "to", ticket, "kind", "text", "body", "hello from B"));
        agentOnB.awaitReply("m");
        assertEquals("hello from B", customerOnA.await(f -> "USER".equals(f.path("senderType").asText()), Duration.ofSeconds(5))
                .get("body").asText());
    }

    private static void assertInOrderOnce(List<JsonNode> messages, String prefix, int count) {
        assertEquals(count, messages.size());
        for (int i = 0; i < count; i++) {
            assertEquals(prefix + i, messages.get(i).get("body").asText(), "in send order");
            if (i > 0) {
                assertTrue(messages.get(i).get("seq").asLong() > messages.get(i - 1).get("seq").asLong(), "seq increases");
            }
        }
    }

    private URI uriOfB() {
        return URI.create("ws://127.0.0.1:" + portB + "/ws");
    }

    private static void awaitReady(int port, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!instanceB.isAlive()) {
                throw new IllegalStateException("instance B exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("instance B not ready:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static {
        new File("target").mkdirs();
    }
}

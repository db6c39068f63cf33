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
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.quarkus.redis.datasource.stream.StreamRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    /** Desk hours that exclude the hour the tests run in: every ticket here is opened "outside business hours". */
    static final String CLOSED_NOW = closedWindow();

    static final Map<String, String> SHARED = Map.of(
            "chat.presence.ttl", "3s",
            "chat.limits.frames-per-second", "5000",
            "chat.limits.frame-burst", "5000",
            "chat.desk.assignment", "auto",
            "chat.desk.reassign-after", "1s",
            "chat.desk.first-response", "2s",
            "chat.desk.sweep-interval", "250ms",
            "chat.desk.hours", CLOSED_NOW,
            "chat.desk.offline-message", "We are closed; we answer tomorrow.");

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
        resetDeskAvailability();
        long customerId = TestUsers.newUid();
        WsClient customerOnA = connect(users.login(customerId, "phone"));
        customerOnA.send(Map.of("type", "desk.open", "id", "o", "topic", "survives restarts"));
        String ticket = customerOnA.awaitReply("o").get("ticket").asText();

        instanceB.destroy();
        instanceB.waitFor();
        startInstanceB(); // a freshly started instance knows nothing in memory

        long agentId = TestUsers.newUid();
        WsClient agentOnB = track(WsClient.bearer(uriOfB(), users.login(agentId, "desk", "AGENT").token()));
        JsonNode snapshot = agentOnB.await(f -> "desk.queue".equals(f.path("type").asText())
                && "snapshot".equals(f.path("event").asText()), Duration.ofSeconds(5));
        if (!snapshot.get("items").findValuesAsText("ticket").contains(ticket)) {
            // instance A's sweeper may assign the ticket between the agent coming online and the snapshot's read
            agentOnB.await(f -> "desk.queue".equals(f.path("type").asText()) && "taken".equals(f.path("event").asText())
                    && ticket.equals(f.path("ticket").asText()), Duration.ofSeconds(1));
        }
        assertEquals(agentId, agentOnB.await(f -> "desk.state".equals(f.path("type").asText()) && ticket.equals(f.path("ticket").asText()),
                Duration.ofSeconds(5)).get("agent").asLong(), "the only online agent is assigned the waiting ticket");
        JsonNode state = customerOnA.await(f -> "desk.state".equals(f.path("type").asText()) && "SERVING".equals(f.path("state").asText()),
                Duration.ofSeconds(5));
        assertEquals(agentId, state.get("agent").asLong(), "the customer on the other instance hears of it");
        agentOnB.send(Map.of("type", "send", "id", "m", "cid", "m", "to", ticket, "kind", "text", "body", "hello from B"));
        agentOnB.awaitReply("m");
        assertEquals("hello from B", customerOnA.await(f -> "USER".equals(f.path("senderType").asText()), Duration.ofSeconds(5))
                .get("body").asText());
    }

    @Test
    void ticketsOpenedAtOnceOnTwoInstancesAreAssignedOnceEachFairlyWithinCapacityAndTheRestWaitInOrder() throws Exception {
        resetDeskAvailability();
        List<Long> agentIds = List.of(TestUsers.newUid(), TestUsers.newUid(), TestUsers.newUid());
        List<WsClient> agents = List.of(connect(users.login(agentIds.get(0), "desk", "AGENT")),
                track(WsClient.bearer(uriOfB(), users.login(agentIds.get(1), "desk", "AGENT").token())),
                track(WsClient.bearer(uriOfB(), users.login(agentIds.get(2), "desk", "AGENT").token())));
        agents.forEach(agent -> agent.await("desk.queue"));

        // one ticket at a time: each goes to a different agent (fewest open tickets, then longest idle)
        List<WsClient> customers = new ArrayList<>();
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            WsClient customer = connect(users.login(TestUsers.newUid(), "phone"));
            customers.add(customer);
            customer.send(Map.of("type", "desk.open", "id", "o", "topic", "one by one " + i));
            tickets.add(customer.awaitReply("o").get("ticket").asText());
            awaitServing(customer, tickets.get(i));
        }
        for (Long agent : agentIds) {
            assertEquals(1, redis.set(Long.class).scard(agentTicketsKey(agent)), "one each");
        }

        // seventeen more at once, half through each instance: 12 fit (3 x capacity 5), 5 wait
        int more = 17;
        List<WsClient> batch = new ArrayList<>();
        for (int i = 0; i < more; i++) {
            var device = users.login(TestUsers.newUid(), "phone");
            batch.add(i % 2 == 0 ? connect(device) : track(WsClient.bearer(uriOfB(), device.token())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(more);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> opened = new ArrayList<>();
        for (int i = 0; i < more; i++) {
            WsClient customer = batch.get(i);
            opened.add(pool.submit(() -> {
                go.await();
                customer.send(Map.of("type", "desk.open", "id", "o", "topic", "rush"));
                return customer.awaitReply("o").get("ticket").asText();
            }));
        }
        go.countDown();
        for (int i = 0; i < more; i++) {
            tickets.add(opened.get(i).get(10, TimeUnit.SECONDS));
            customers.add(batch.get(i));
        }
        pool.shutdown();
        awaitTrue(() -> openTickets(agentIds) == 15, "15 tickets assigned");

        Map<String, Long> holder = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        for (Long agent : agentIds) {
            Set<Long> held = redis.set(Long.class).smembers(agentTicketsKey(agent));
            assertEquals(5, held.size(), "agent " + agent + " is at capacity, not over it");
            for (Long id : held) {
                assertEquals(null, holder.put("c." + id, agent), "c." + id + " assigned once");
                Map<String, String> stored = redis.hash(String.class).hgetall("{desk}:ticket:" + id);
                assertEquals(String.valueOf(agent), stored.get("agent"));
                latencies.add(Long.parseLong(stored.get("claimedAt")) - Long.parseLong(stored.get("createdAt")));
            }
        }
        Collections.sort(latencies);
        System.out.printf("auto-assignment, open to agent (server clock): n=%d median %d ms, max %d ms%n", latencies.size(),
                latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));
        for (String ticket : holder.keySet()) {
            if (tickets.indexOf(ticket) >= 3) { // the first three were awaited above
                assertEquals(holder.get(ticket), awaitServing(customers.get(tickets.indexOf(ticket)), ticket).get("agent").asLong());
            }
        }
        List<String> queue = waitingTickets();
        assertEquals(5, queue.size());
        for (String ticket : tickets) {
            assertTrue(holder.containsKey(ticket) ^ queue.contains(ticket), ticket + " is either assigned or waiting");
        }
        for (int place = 0; place < queue.size(); place++) {
            awaitPosition(customers.get(tickets.indexOf(queue.get(place))), queue.get(place), place + 1);
        }

        // three closes at once, on both instances: the three oldest waiting tickets take the freed places
        List<Future<JsonNode>> closes = new ArrayList<>();
        ExecutorService closers = Executors.newFixedThreadPool(3);
        CountDownLatch closeGo = new CountDownLatch(1);
        for (int a = 0; a < 3; a++) {
            WsClient agent = agents.get(a);
            long agentId = agentIds.get(a);
            String ticket = holder.entrySet().stream().filter(e -> e.getValue() == agentId).findFirst().orElseThrow().getKey();
            closes.add(closers.submit(() -> {
                closeGo.await();
                agent.send(Map.of("type", "desk.close", "id", "cl", "ticket", ticket));
                return agent.awaitReply("cl");
            }));
        }
        closeGo.countDown();
        for (Future<JsonNode> close : closes) {
            assertEquals("CLOSED", close.get(10, TimeUnit.SECONDS).get("state").asText());
        }
        closers.shutdown();
        for (String ticket : queue.subList(0, 3)) {
            assertTrue(agentIds.contains(awaitServing(customers.get(tickets.indexOf(ticket)), ticket).get("agent").asLong()));
        }
        assertEquals(queue.subList(3, 5), waitingTickets(), "the two newest still wait, in order");
        awaitPosition(customers.get(tickets.indexOf(queue.get(3))), queue.get(3), 1);
        awaitPosition(customers.get(tickets.indexOf(queue.get(4))), queue.get(4), 2);
        for (Long agent : agentIds) {
            assertEquals(5, redis.set(Long.class).scard(agentTicketsKey(agent)), "full again, never over");
        }
        for (String ticket : tickets) {
            long assigned = logOf(ticket).stream().filter(e -> e instanceof DeskEvent d && "assigned".equals(d.action())).count();
            assertEquals(queue.subList(3, 5).contains(ticket) ? 0 : 1, assigned, ticket + " assigned exactly once on the log");
        }
    }

    @Test
    void anOfflineAgentsTicketsGoBackToTheQueueAndOnToAnOnlineAgent() {
        resetDeskAvailability();
        long firstId = TestUsers.newUid();
        WsClient first = track(WsClient.bearer(uriOfB(), users.login(firstId, "desk", "AGENT").token()));
        first.await("desk.queue");
        WsClient customer = connect(users.login(TestUsers.newUid(), "phone"));
        customer.send(Map.of("type", "desk.open", "id", "o", "topic", "my agent left"));
        String ticket = customer.awaitReply("o").get("ticket").asText();
        assertEquals(firstId, awaitServing(customer, ticket).get("agent").asLong());

        long secondId = TestUsers.newUid();
        WsClient second = connect(users.login(secondId, "desk", "AGENT"));
        second.await("desk.queue");
        second.send(Map.of("type", "desk.status", "id", "s", "status", "away"));
        second.awaitReply("s");
        first.close(); // offline: after chat.desk.reassign-after (1 s here) the ticket is requeued
        customer.await(f -> "desk.state".equals(f.path("type").asText()) && "WAITING".equals(f.path("state").asText()),
                Duration.ofSeconds(5));
        second.send(Map.of("type", "desk.status", "id", "s2", "status", "online"));
        second.awaitReply("s2");
        assertEquals(secondId, awaitServing(customer, ticket).get("agent").asLong(), "an agent coming online takes it at once");
        List<String> actions = logOf(ticket).stream().filter(DeskEvent.class::isInstance).map(e -> ((DeskEvent) e).action()).toList();
        assertEquals(List.of("opened", "assigned", "requeued", "assigned"), actions);
    }

    @Test
    void outsideBusinessHoursTheOfflineMessageGreetsANewTicketAndALateFirstResponseIsFlaggedOnce() {
        resetDeskAvailability();
        WsClient agent = connect(users.login(TestUsers.newUid(), "desk", "AGENT"));
        agent.await("desk.queue");
        WsClient customer = connect(users.login(TestUsers.newUid(), "phone"));
        customer.send(Map.of("type", "desk.open", "id", "o", "topic", "late at night"));
        String ticket = customer.awaitReply("o").get("ticket").asText();
        JsonNode offline = customer.await(f -> "message".equals(f.path("type").asText())
                && "We are closed; we answer tomorrow.".equals(f.path("body").asText()), Duration.ofSeconds(5));
        assertEquals("SYSTEM", offline.get("senderType").asText());

        WsClient answered = connect(users.login(TestUsers.newUid(), "phone"));
        answered.send(Map.of("type", "desk.open", "id", "o", "topic", "answered quickly"));
        String quick = answered.awaitReply("o").get("ticket").asText();
        awaitServing(answered, quick);
        agent.send(Map.of("type", "send", "id", "m", "cid", "m", "to", quick, "kind", "text", "body", "hello!"));
        agent.awaitReply("m");

        JsonNode sla = agent.await(f -> "desk.sla".equals(f.path("type").asText()) && ticket.equals(f.path("ticket").asText()),
                Duration.ofSeconds(6)); // chat.desk.first-response is 2 s here
        assertTrue(sla.get("breached").asBoolean());
        List<JsonNode> later = agent.collect("desk.sla", Duration.ofMillis(1500));
        assertTrue(later.stream().noneMatch(f -> ticket.equals(f.path("ticket").asText())), "flagged once");
        assertTrue(later.stream().noneMatch(f -> quick.equals(f.path("ticket").asText())), "an answered ticket is not late");
        assertEquals(1, logOf(ticket).stream().filter(e -> e instanceof DeskEvent d && "sla".equals(d.action())).count());
    }

    private long openTickets(List<Long> agents) {
        return agents.stream().mapToLong(agent -> redis.set(Long.class).scard(agentTicketsKey(agent))).sum();
    }

    private List<String> waitingTickets() {
        return redis.sortedSet(Long.class).zrange("{desk}:queue", 0, -1).stream().map(id -> "c." + id).toList();
    }

    private static void awaitPosition(WsClient customer, String ticket, long position) {
        customer.await(f -> "desk.position".equals(f.path("type").asText()) && ticket.equals(f.path("ticket").asText())
                && f.path("position").asLong() == position, Duration.ofSeconds(5));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Agents of earlier tests (some on a killed instance) must neither take this test's tickets nor have their own
     * tickets requeued in the middle of it: the desk forgets agents, their tickets and the queue.
     */
    private void resetDeskAvailability() {
        List<String> keys = new ArrayList<>(redis.key().keys("{desk}:agent:*"));
        keys.addAll(List.of("{desk}:status", "{desk}:status-since", "{desk}:queue", "{desk}:positions", "{desk}:awaiting-response"));
        redis.key().del(keys.toArray(String[]::new));
    }

    private static String agentTicketsKey(long agent) {
        return "{desk}:agent:" + agent + ":tickets";
    }

    private static JsonNode awaitServing(WsClient customer, String ticket) {
        return awaitServing(customer, ticket, Duration.ofSeconds(10));
    }

    private static JsonNode awaitServing(WsClient customer, String ticket, Duration timeout) {
        return customer.await(f -> "desk.state".equals(f.path("type").asText()) && ticket.equals(f.path("ticket").asText())
                && "SERVING".equals(f.path("state").asText()), timeout);
    }

    private List<StreamEvent> logOf(String conv) {
        List<StreamEvent> events = new ArrayList<>();
        redis.stream(String.class).xrange(LogPartitions.streamKeyOf(conv, 8), StreamRange.of("-", "+")).forEach(entry ->
                StreamEventCodec.decode(entry.payload().get("e")).filter(e -> e.conv().equals(conv)).ifPresent(events::add));
        return events;
    }

    /** Mon-Sun, one hour twelve hours away from now (UTC), never wrapping past midnight. */
    private static String closedWindow() {
        int hour = (java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour() + 12) % 23;
        return String.format("Mon-Sun %02d:00-%02d:00 UTC", hour, hour + 1);
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

package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The consultation life cycle over real WebSocket clients. */
@Tag("cluster")
@QuarkusTest
class DeskTest extends ChatTestBase {

    @Test
    void openGrabRaceChatTransferDeclineAcceptAndClose() throws Exception {
        long customerId = TestUsers.newUid();
        WsClient customer = connect(users.login(customerId, "phone"));
        List<Long> agentIds = new ArrayList<>();
        List<WsClient> agents = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long id = TestUsers.newUid();
            agentIds.add(id);
            WsClient agent = connect(users.login(id, "desk", "AGENT"));
            agent.await("desk.queue"); // the snapshot on connect
            agents.add(agent);
        }

        // open → every online agent hears of it
        customer.send(Map.of("type", "desk.open", "id", "o", "topic", "refund for order 1042"));
        JsonNode opened = customer.awaitReply("o");
        assertEquals("WAITING", opened.get("state").asText());
        String ticket = opened.get("ticket").asText();
        for (WsClient agent : agents) {
            JsonNode added = agent.await(f -> "desk.queue".equals(f.path("type").asText()) && ticket.equals(f.path("ticket").asText()),
                    Duration.ofSeconds(5));
            assertEquals("added", added.get("event").asText());
            assertEquals(customerId, added.get("customer").asLong());
            assertEquals("refund for order 1042", added.get("topic").asText());
        }
        WsClient late = connect(users.login(TestUsers.newUid(), "desk", "AGENT"));
        JsonNode snapshot = late.await("desk.queue");
        assertEquals("snapshot", snapshot.get("event").asText());
        assertTrue(snapshot.get("items").findValuesAsText("ticket").contains(ticket), "a late agent sees the waiting ticket");

        // ten agents grab at once: exactly one wins
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JsonNode>> replies = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            WsClient agent = agents.get(i);
            String id = "g" + i;
            replies.add(pool.submit(() -> {
                go.await();
                agent.send(Map.of("type", "desk.grab", "id", id, "ticket", ticket));
                return agent.awaitReply(id);
            }));
        }
        go.countDown();
        int winner = -1;
        int conflicts = 0;
        for (int i = 0; i < replies.size(); i++) {
            JsonNode reply = replies.get(i).get();
            if ("ack".equals(reply.get("type").asText())) {
                assertEquals("SERVING", reply.get("state").asText());
                assertEquals(-1, winner, "only one winner");
                winner = i;
            } else {
                assertEquals("CONFLICT", reply.get("code").asText());
                conflicts++;
            }
        }
        pool.shutdown();
        assertEquals(9, conflicts);
        WsClient agentA = agents.get(winner);
        long agentAId = agentIds.get(winner);
        JsonNode taken = late.await(f -> "taken".equals(f.path("event").asText()) && ticket.equals(f.path("ticket").asText()),
                Duration.ofSeconds(5));
        assertEquals(agentAId, taken.get("agent").asLong());
        JsonNode serving = customer.await(f -> "desk.state".equals(f.path("type").asText()) && "SERVING".equals(f.path("state").asText()),
                Duration.ofSeconds(5));
        assertEquals("SERVING", serving.get("state").asText());
        assertEquals(agentAId, serving.get("agent").asLong());

        // messages both ways
        customer.send(Map.of("type", "send", "id", "c1", "cid", "c1", "to", ticket, "kind", "text", "body", "where is my refund?"));
        assertEquals("ack", customer.awaitReply("c1").get("type").asText());
        assertEquals("where is my refund?", awaitUserMessage(agentA).get("body").asText());
        agentA.send(Map.of("type", "send", "id", "a1", "cid", "a1", "to", ticket, "kind", "text", "body", "checking now"));
        assertEquals("checking now", awaitUserMessage(customer).get("body").asText());
        WsClient bystander = agents.get((winner + 1) % agents.size());
        bystander.send(Map.of("type", "send", "id", "x", "cid", "x", "to", ticket, "kind", "text", "body", "me too"));
        assertEquals("NOT_FOUND", bystander.awaitReply("x").get("code").asText());

        // transfer → declined → back to A; transfer again → accepted by B
        int bIndex = (winner + 2) % agents.size();
        WsClient agentB = agents.get(bIndex);
        long agentBId = agentIds.get(bIndex);
        agentA.send(Map.of("type", "desk.transfer", "id", "t1", "ticket", ticket, "toAgent", agentBId));
        assertEquals("TRANSFERRING", agentA.awaitReply("t1").get("state").asText());
        JsonNode offer = agentB.await("desk.offer");
        assertEquals(ticket, offer.get("ticket").asText());
        assertEquals(agentAId, offer.get("from").asLong());
        agentB.send(Map.of("type", "desk.decline", "id", "d1", "ticket", ticket));
        assertEquals("SERVING", agentB.awaitReply("d1").get("state").asText());
        JsonNode backToA = customer.await(f -> "desk.state".equals(f.path("type").asText()) && "SERVING".equals(f.path("state").asText()),
                Duration.ofSeconds(5));
        assertEquals(agentAId, backToA.get("agent").asLong());

        agentA.send(Map.of("type", "desk.transfer", "id", "t2", "ticket", ticket, "toAgent", agentBId));
        agentA.awaitReply("t2");
        agentB.await("desk.offer");
        agentB.send(Map.of("type", "desk.accept", "id", "a2", "ticket", ticket));
        assertEquals("SERVING", agentB.awaitReply("a2").get("state").asText());
        JsonNode toB = customer.await(f -> "desk.state".equals(f.path("type").asText()) && f.path("agent").asLong() == agentBId,
                Duration.ofSeconds(5));
        assertEquals("SERVING", toB.get("state").asText());

        drain(agentA);
        customer.send(Map.of("type", "send", "id", "c2", "cid", "c2", "to", ticket, "kind", "text", "body", "hello new agent"));
        customer.awaitReply("c2");
        assertEquals("hello new agent", awaitUserMessage(agentB).get("body").asText());
        assertTrue(agentA.collect("message", Duration.ofMillis(400)).stream().noneMatch(m -> "USER".equals(m.path("senderType").asText())),
                "the earlier agent no longer receives live messages");

        // close → refused afterwards
        customer.send(Map.of("type", "desk.close", "id", "cl", "ticket", ticket));
        assertEquals("CLOSED", customer.awaitReply("cl").get("state").asText());
        assertEquals("CLOSED", agentB.await(f -> "desk.state".equals(f.path("type").asText()) && "CLOSED".equals(f.path("state").asText()),
                Duration.ofSeconds(5)).get("state").asText());
        late.await(f -> "closed".equals(f.path("event").asText()) && ticket.equals(f.path("ticket").asText()), Duration.ofSeconds(5));
        customer.send(Map.of("type", "send", "id", "c3", "cid", "c3", "to", ticket, "kind", "text", "body", "one more thing"));
        assertEquals("FORBIDDEN", customer.awaitReply("c3").get("code").asText());
        agentB.send(Map.of("type", "desk.close", "id", "cl2", "ticket", ticket));
        assertEquals("CONFLICT", agentB.awaitReply("cl2").get("code").asText());

        // the log tells the whole story, in order
        List<String> systemMessages = new ArrayList<>();
        List<String> deskActions = new ArrayList<>();
        for (StreamEvent event : logOf(ticket)) {
            if (event instanceof MessageEvent m && "SYSTEM".equals(m.senderType())) {
                systemMessages.add(m.body());
            } else if (event instanceof DeskEvent d) {
                deskActions.add(d.action() + ":" + d.state());
            }
        }
        assertEquals(List.of("opened:WAITING", "grabbed:SERVING", "responded:SERVING", "transferring:TRANSFERRING", "declined:SERVING",
                "transferring:TRANSFERRING", "accepted:SERVING", "closed:CLOSED"), deskActions);
        assertEquals(7, systemMessages.size());
        assertTrue(systemMessages.get(0).startsWith("Consultation opened: refund"), systemMessages.get(0));
        assertTrue(systemMessages.get(6).startsWith("Consultation closed by"), systemMessages.get(6));
    }

    @Test
    void onlyAgentsGrabAndOnlyPartiesClose() {
        long customerId = TestUsers.newUid();
        WsClient customer = connect(users.login(customerId, "phone"));
        WsClient stranger = connect(users.login(TestUsers.newUid(), "phone"));
        customer.send(Map.of("type", "desk.open", "id", "o", "topic", "help"));
        String ticket = customer.awaitReply("o").get("ticket").asText();

        stranger.send(Map.of("type", "desk.grab", "id", "g", "ticket", ticket));
        assertEquals("FORBIDDEN", stranger.awaitReply("g").get("code").asText());
        stranger.send(Map.of("type", "desk.close", "id", "c", "ticket", ticket));
        assertEquals("FORBIDDEN", stranger.awaitReply("c").get("code").asText());
        stranger.send(Map.of("type", "send", "id", "s", "cid", "s", "to", ticket, "kind", "text", "body", "hi"));
        assertEquals("NOT_FOUND", stranger.awaitReply("s").get("code").asText());
        stranger.send(Map.of("type", "desk.grab", "id", "bad", "ticket", "g.5"));
        assertEquals("INVALID_FIELD", stranger.awaitReply("bad").get("code").asText());

        WsClient agent = connect(users.login(TestUsers.newUid(), "desk", "AGENT"));
        agent.send(Map.of("type", "desk.grab", "id", "none", "ticket", "c.999999999999"));
        assertEquals("NOT_FOUND", agent.awaitReply("none").get("code").asText());
        agent.send(Map.of("type", "desk.transfer", "id", "t", "ticket", ticket, "toAgent", 12345));
        assertEquals("NOT_FOUND", agent.awaitReply("t").get("code").asText(), "no such agent");

        customer.send(Map.of("type", "send", "id", "w", "cid", "w", "to", ticket, "kind", "text", "body", "anyone?"));
        assertEquals("ack", customer.awaitReply("w").get("type").asText(), "a waiting customer may already write");
    }

    @Test
    void agentsSetTheirStatusSeeEachOthersLoadAndGoOfflineWithTheirLastConnection() throws InterruptedException {
        long aliceId = TestUsers.newUid();
        WsClient alice = connect(users.login(aliceId, "desk", "AGENT"));
        JsonNode snapshot = alice.await("desk.queue");
        assertEquals(5, snapshot.get("capacity").asInt());
        assertEquals("manual", snapshot.get("assignment").asText());
        JsonNode me = agentItem(snapshot, aliceId);
        assertEquals("online", me.get("status").asText(), "connecting makes an agent online");
        assertEquals(0, me.get("open").asLong());

        long bobId = TestUsers.newUid();
        WsClient bob = connect(users.login(bobId, "desk", "AGENT"));
        bob.await("desk.queue");
        JsonNode bobOnline = awaitAgent(alice, bobId, "online");
        assertEquals(5, bobOnline.get("capacity").asInt());

        bob.send(Map.of("type", "desk.status", "id", "s1", "status", "away"));
        assertEquals("away", bob.awaitReply("s1").get("status").asText());
        awaitAgent(alice, bobId, "away");
        bob.send(Map.of("type", "desk.status", "id", "s2", "status", "busy"));
        assertEquals("INVALID_FIELD", bob.awaitReply("s2").get("code").asText());
        WsClient customer = connect(users.login(TestUsers.newUid(), "phone"));
        customer.send(Map.of("type", "desk.status", "id", "s3", "status", "online"));
        assertEquals("FORBIDDEN", customer.awaitReply("s3").get("code").asText());

        // load: a grabbed ticket counts, and everyone sees it
        customer.send(Map.of("type", "desk.open", "id", "o", "topic", "load"));
        String ticket = customer.awaitReply("o").get("ticket").asText();
        alice.send(Map.of("type", "desk.grab", "id", "g", "ticket", ticket));
        alice.awaitReply("g");
        assertEquals(1, bob.await(f -> "agent".equals(f.path("event").asText()) && f.path("agent").asLong() == aliceId,
                Duration.ofSeconds(5)).get("open").asLong());

        // two devices: closing one keeps bob present; closing the last makes him offline for everyone
        WsClient bobLaptop = connect(users.login(bobId, "laptop", "AGENT"));
        bobLaptop.await("desk.queue");
        bob.close();
        assertTrue(alice.collect("desk.queue", Duration.ofMillis(500)).stream()
                .noneMatch(f -> f.path("agent").asLong() == bobId && "offline".equals(f.path("status").asText())),
                "not offline while another device is connected");
        bobLaptop.close();
        awaitAgent(alice, bobId, "offline");

        // demoted: connecting without the role drops the status, so auto-assignment could never pick him
        connect(users.login(bobId, "phone")).assertAlive();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (redis.hash(String.class).hget("{desk}:status", String.valueOf(bobId)) != null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(null, redis.hash(String.class).hget("{desk}:status", String.valueOf(bobId)));
    }

    @Test
    void anAgentHoldsAtMostCapacityTickets() {
        WsClient agent = connect(users.login(TestUsers.newUid(), "desk", "AGENT"));
        agent.await("desk.queue");
        WsClient customer = connect(users.login(TestUsers.newUid(), "phone"));
        for (int i = 0; i < 6; i++) {
            customer.send(Map.of("type", "desk.open", "id", "o" + i, "topic", "capacity " + i));
            String ticket = customer.awaitReply("o" + i).get("ticket").asText();
            agent.send(Map.of("type", "desk.grab", "id", "g" + i, "ticket", ticket));
            JsonNode reply = agent.awaitReply("g" + i);
            if (i < 5) {
                assertEquals("SERVING", reply.get("state").asText());
            } else {
                assertEquals("CONFLICT", reply.get("code").asText(), "the sixth is over chat.desk.agent-capacity");
            }
        }
    }

    @Test
    void waitingCustomersAreToldTheirPlaceWheneverItChanges() {
        WsClient first = connect(users.login(TestUsers.newUid(), "phone"));
        WsClient second = connect(users.login(TestUsers.newUid(), "phone"));
        first.send(Map.of("type", "desk.open", "id", "o1", "topic", "first"));
        String firstTicket = first.awaitReply("o1").get("ticket").asText();
        long firstPlace = first.await("desk.position").get("position").asLong();
        second.send(Map.of("type", "desk.open", "id", "o2", "topic", "second"));
        String secondTicket = second.awaitReply("o2").get("ticket").asText();
        JsonNode secondPosition = second.await("desk.position");
        assertEquals(secondTicket, secondPosition.get("ticket").asText());
        long secondPlace = secondPosition.get("position").asLong();
        assertTrue(secondPlace > firstPlace, "a later ticket waits behind an earlier one");
        assertTrue(first.collect("desk.position", Duration.ofMillis(300)).isEmpty(), "a place that did not change is not told again");

        WsClient agent = connect(users.login(TestUsers.newUid(), "desk", "AGENT"));
        agent.await("desk.queue");
        agent.send(Map.of("type", "desk.grab", "id", "g", "ticket", firstTicket));
        agent.awaitReply("g");
        assertEquals(secondPlace - 1, second.await("desk.position").get("position").asLong(), "moves up when one ahead is taken");
    }

    @Test
    void privateNotesReachTheTicketsAgentsAndNeverTheCustomer() {
        long customerId = TestUsers.newUid();
        WsClient customer = connect(users.login(customerId, "phone"));
        long agentId = TestUsers.newUid();
        WsClient agent = connect(users.login(agentId, "desk", "AGENT"));
        WsClient agentTablet = connect(users.login(agentId, "tablet", "AGENT"));
        WsClient otherAgent = connect(users.login(TestUsers.newUid(), "desk", "AGENT"));
        customer.send(Map.of("type", "desk.open", "id", "o", "topic", "notes"));
        String ticket = customer.awaitReply("o").get("ticket").asText();
        agent.send(Map.of("type", "desk.grab", "id", "g", "ticket", ticket));
        agent.awaitReply("g");
        drain(customer);

        agent.send(Map.of("type", "desk.note", "id", "n", "ticket", ticket, "body", "customer sounds upset, offer a voucher"));
        JsonNode ack = agent.awaitReply("n");
        assertEquals("ack", ack.get("type").asText());
        assertEquals(ticket, ack.get("conv").asText());
        JsonNode note = agentTablet.await(f -> "message".equals(f.path("type").asText()) && "agents".equals(f.path("visibility").asText()),
                Duration.ofSeconds(5));
        assertEquals("customer sounds upset, offer a voucher", note.get("body").asText());
        assertEquals(ack.get("seq").asLong(), note.get("seq").asLong());
        agent.send(Map.of("type", "send", "id", "m", "cid", "m", "to", ticket, "kind", "text", "body", "we will fix it"));
        agent.awaitReply("m");
        List<JsonNode> atCustomer = customer.collectUntil("message", 1, Duration.ofSeconds(5));
        assertEquals("we will fix it", atCustomer.get(0).get("body").asText(), "the customer gets the reply, not the note");
        assertTrue(customer.collect("message", Duration.ofMillis(300)).isEmpty());

        customer.send(Map.of("type", "desk.note", "id", "cn", "ticket", ticket, "body", "let me in"));
        assertEquals("FORBIDDEN", customer.awaitReply("cn").get("code").asText());
        otherAgent.send(Map.of("type", "desk.note", "id", "on", "ticket", ticket, "body", "not mine"));
        assertEquals("NOT_FOUND", otherAgent.awaitReply("on").get("code").asText());
        agent.send(Map.of("type", "desk.note", "id", "bn", "ticket", ticket, "body", "   "));
        assertEquals("INVALID_FIELD", agent.awaitReply("bn").get("code").asText());

        MessageEvent logged = logOf(ticket).stream().filter(e -> e instanceof MessageEvent m && m.agentsOnly())
                .map(MessageEvent.class::cast).findFirst().orElseThrow();
        assertEquals("customer sounds upset, offer a voucher", logged.body());
    }

    @Test
    void theCustomerRatesAClosedTicketOnceFromOneToFive() {
        long customerId = TestUsers.newUid();
        WsClient customer = connect(users.login(customerId, "phone"));
        WsClient agent = connect(users.login(TestUsers.newUid(), "desk", "AGENT"));
        customer.send(Map.of("type", "desk.open", "id", "o", "topic", "rating"));
        String ticket = customer.awaitReply("o").get("ticket").asText();
        agent.send(Map.of("type", "desk.grab", "id", "g", "ticket", ticket));
        agent.awaitReply("g");

        customer.send(Map.of("type", "desk.rate", "id", "early", "ticket", ticket, "score", 5));
        assertEquals("CONFLICT", customer.awaitReply("early").get("code").asText(), "not before close");
        agent.send(Map.of("type", "desk.close", "id", "c", "ticket", ticket));
        agent.awaitReply("c");
        for (Object bad : List.of(0, 6, "5", 4.5)) {
            customer.send(Map.of("type", "desk.rate", "id", "bad", "ticket", ticket, "score", bad));
            assertEquals("INVALID_FIELD", customer.awaitReply("bad").get("code").asText(), "score " + bad);
        }
        agent.send(Map.of("type", "desk.rate", "id", "a", "ticket", ticket, "score", 5));
        assertEquals("NOT_FOUND", agent.awaitReply("a").get("code").asText(), "only the customer rates");

        customer.send(Map.of("type", "desk.rate", "id", "r", "ticket", ticket, "score", 4, "comment", "quick and kind"));
        JsonNode rated = customer.awaitReply("r");
        assertEquals("ack", rated.get("type").asText());
        assertEquals("CLOSED", rated.get("state").asText());
        customer.send(Map.of("type", "desk.rate", "id", "again", "ticket", ticket, "score", 1));
        assertEquals("CONFLICT", customer.awaitReply("again").get("code").asText(), "once");
        customer.send(Map.of("type", "desk.rate", "id", "resend", "ticket", ticket, "score", 4, "comment", "quick and kind"));
        assertEquals("ack", customer.awaitReply("resend").get("type").asText(), "the same rating again is a harmless resend");

        List<DeskEvent> ratings = logOf(ticket).stream().filter(e -> e instanceof DeskEvent d && "rated".equals(d.action()))
                .map(DeskEvent.class::cast).toList();
        assertEquals(4, ratings.get(0).score());
        assertEquals("quick and kind", ratings.get(0).comment());
    }

    private static JsonNode agentItem(JsonNode snapshot, long agent) {
        for (JsonNode item : snapshot.get("agents")) {
            if (item.get("agent").asLong() == agent) {
                return item;
            }
        }
        throw new AssertionError("agent " + agent + " not in " + snapshot);
    }

    private static JsonNode awaitAgent(WsClient client, long agent, String status) {
        return client.await(f -> "desk.queue".equals(f.path("type").asText()) && "agent".equals(f.path("event").asText())
                && f.path("agent").asLong() == agent && status.equals(f.path("status").asText()), Duration.ofSeconds(5));
    }

    private static JsonNode awaitUserMessage(WsClient client) {
        return client.await(f -> "message".equals(f.path("type").asText()) && "USER".equals(f.path("senderType").asText()),
                Duration.ofSeconds(5));
    }

    private static void drain(WsClient client) {
        client.collect("message", Duration.ofMillis(300));
    }

    private List<StreamEvent> logOf(String conv) {
        List<StreamEvent> events = new ArrayList<>();
        redis.stream(String.class).xrange(LogPartitions.streamKeyOf(conv, 8), StreamRange.of("-", "+")).forEach(entry ->
                StreamEventCodec.decode(entry.payload().get("e")).filter(e -> e.conv().equals(conv)).ifPresent(events::add));
        return events;
    }
}

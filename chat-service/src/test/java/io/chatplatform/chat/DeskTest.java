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
        assertEquals(List.of("opened:WAITING", "grabbed:SERVING", "transferring:TRANSFERRING", "declined:SERVING",
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

package io.chatplatform.e2e;

import static io.chatplatform.e2e.ChatThroughHistoryTest.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.localstack.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A consultation from both sides, with a real admin making real agents, ending in history. */
class DeskThroughHistoryTest {

    private final Platform platform = Platform.get();

    @Test
    void customerAndAgentsGoThroughAConsultationAndHistoryKeepsTheStory() throws Exception {
        Client admin = Client.existing(platform, platform.adminUser, platform.adminPassword).login("admin-console");
        Client agentA = makeAgent(admin, "agent_a");
        Client agentB = makeAgent(admin, "agent_b");
        Client customer = Client.register(platform, "customer").login("phone");
        Client other = Client.register(platform, "other").login("phone");

        try (WsClient a = agentA.connect(); WsClient b = agentB.connect(); WsClient c = customer.connect()) {
            a.await("desk.queue");
            b.await("desk.queue");
            c.send(Map.of("type", "desk.open", "id", "open", "topic", "my parcel never arrived"));
            String ticket = c.awaitReply("open").get("ticket").asText();
            a.await(f -> ticket.equals(f.path("ticket").asText()) && "added".equals(f.path("event").asText()), Duration.ofSeconds(5));

            a.send(Map.of("type", "desk.grab", "id", "g", "ticket", ticket));
            assertEquals("SERVING", a.awaitReply("g").get("state").asText());
            c.send(Map.of("type", "send", "id", "m1", "cid", "m1", "to", ticket, "kind", "text", "body", "order 77"));
            c.awaitReply("m1");
            a.send(Map.of("type", "send", "id", "m2", "cid", "m2", "to", ticket, "kind", "text", "body", "found it, resending"));
            a.awaitReply("m2");
            a.send(Map.of("type", "desk.transfer", "id", "t", "ticket", ticket, "toAgent", agentB.uid));
            a.awaitReply("t");
            b.await("desk.offer");
            b.send(Map.of("type", "desk.accept", "id", "acc", "ticket", ticket));
            assertEquals("SERVING", b.awaitReply("acc").get("state").asText());
            b.send(Map.of("type", "desk.close", "id", "close", "ticket", ticket));
            assertEquals("CLOSED", b.awaitReply("close").get("state").asText());
            c.send(Map.of("type", "send", "id", "late", "cid", "late", "to", ticket, "kind", "text", "body", "thanks"));
            assertEquals("FORBIDDEN", c.awaitReply("late").get("code").asText());

            JsonNode mine = eventually(() -> customer.history("/history/consultations"),
                    list -> list.get("items").size() == 1 && "CLOSED".equals(list.get("items").get(0).get("state").asText()));
            JsonNode consultation = mine.get("items").get(0);
            assertEquals(customer.uid, consultation.get("customer").asLong());
            assertEquals(agentB.uid, consultation.get("agent").asLong());
            assertEquals("my parcel never arrived", consultation.get("topic").asText());

            JsonNode closedForAgents = agentA.history("/history/consultations?state=CLOSED&limit=200").json();
            assertTrue(closedForAgents.get("items").findValuesAsText("ticket").contains(ticket)
                    || closedForAgents.toString().contains(ticket), "agents see every ticket");
            JsonNode waitingForCustomer = customer.history("/history/consultations?state=WAITING").json();
            assertEquals(0, waitingForCustomer.get("items").size());
            assertEquals(0, other.history("/history/consultations").json().get("items").size(), "users see only their own");
            assertEquals(404, other.history("/history/conversations/" + ticket + "/messages").status());

            JsonNode transcript = eventually(() -> customer.history("/history/conversations/" + ticket + "/messages?limit=50"),
                    page -> page.get("items").size() >= 7);
            List<String> lines = new ArrayList<>();
            long lastSeq = 0;
            for (JsonNode message : transcript.get("items")) {
                assertTrue(message.get("seq").asLong() > lastSeq, "in seq order");
                lastSeq = message.get("seq").asLong();
                lines.add(message.get("senderType").asText() + ": " + message.get("body").asText());
            }
            assertTrue(lines.get(0).startsWith("SYSTEM: Consultation opened"), lines.toString());
            assertTrue(lines.contains("USER: order 77") && lines.contains("USER: found it, resending"), lines.toString());
            assertTrue(lines.get(lines.size() - 1).startsWith("SYSTEM: Consultation closed"), lines.toString());
            assertEquals(5, lines.stream().filter(l -> l.startsWith("SYSTEM")).count(), "opened, grabbed, transferring, accepted, closed: " + lines);
            assertEquals(200, agentA.history("/history/conversations/" + ticket + "/messages").status(),
                    "an earlier agent can still read the history");
        }
    }

    private Client makeAgent(Client admin, String prefix) {
        Client agent = Client.register(platform, prefix);
        Client.Response changed = admin.auth("PUT", "/auth/users/" + agent.uid + "/role", Map.of("role", "AGENT"));
        assertEquals(200, changed.status(), changed.body());
        return agent.login("desk");
    }
}

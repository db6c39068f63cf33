package io.chatplatform.e2e;

import static io.chatplatform.e2e.ChatThroughHistoryTest.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.localstack.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service desk in the browser: a customer and an agent (made by the real admin API) from open to close. */
class WebDeskBrowserTest extends BrowserTest {

    @Test
    void aCustomerAndAnAgentGoFromOpenThroughGrabMessagesAndATransferOfferToClose() throws Exception {
        Client admin = Client.existing(platform, platform.adminUser, platform.adminPassword).login("admin-console");
        Client agent = makeAgent(admin, "agent");
        Client otherAgent = makeAgent(admin, "agent_b").login("desk");
        Client customer = Client.register(platform, "customer");
        String topic = "parcel " + customer.username + " never arrived";

        try (Browser agentPage = Browser.open("desk-agent", Browser.DESKTOP);
                Browser customerPage = Browser.open("desk-customer", Browser.PHONE);
                WsClient otherAgentSocket = otherAgent.connect()) {
            agentPage.go(platform.web).login(agent.username, agent.password, false);
            agentPage.await("#desk-panel:not([hidden])"); // agents land on the desk: queue, offers, open tickets

            // the customer asks for help
            customerPage.go(platform.web).login(customer.username, customer.password, false);
            customerPage.click("#contact-support");
            customerPage.type("#dialog-topic", topic);
            customerPage.click("#dialog-ok");
            customerPage.awaitText("#chat-subtitle", "Waiting for an agent");
            String ticket = customerPage.find("#chat-view").getAttribute("data-conv");
            customerPage.say("order 77, since Monday");

            // the agent sees it in the live queue and grabs it
            agentPage.awaitText("#desk-queue li[data-ticket='" + ticket + "']", topic);
            agentPage.screenshot("queue");
            agentPage.click("#desk-queue li[data-ticket='" + ticket + "'] button.grab");
            agentPage.awaitText("#chat-title", topic);
            agentPage.awaitText("#message-list .msg.system", "is now serving you");
            agentPage.awaitText("#message-list .msg.theirs", "order 77, since Monday");
            agentPage.await("#desk-mine li[data-ticket='" + ticket + "']");
            agentPage.awaitGone("#desk-queue li[data-ticket='" + ticket + "']");

            customerPage.awaitText("#message-list .msg.system", "is now serving you");
            customerPage.awaitText("#chat-subtitle", "Being served");

            // they talk
            agentPage.say("found it, resending today");
            customerPage.awaitText("#message-list .msg.theirs", "found it, resending today");
            customerPage.say("thank you!");
            agentPage.awaitText("#message-list .msg.theirs", "thank you!");

            // the agent offers the ticket to another agent, who declines: the first agent keeps it
            agentPage.click("#chat-tools button.transfer");
            agentPage.type("#dialog-agent", otherAgent.username);
            agentPage.click("#dialog-ok");
            agentPage.awaitText("#chat-subtitle", "Being transferred");
            JsonNode offer = otherAgentSocket.await(f -> "desk.offer".equals(f.path("type").asText())
                    && ticket.equals(f.path("ticket").asText()), Duration.ofSeconds(10));
            assertEquals(agent.uid, offer.get("from").asLong());
            otherAgentSocket.send(Map.of("type", "desk.decline", "id", "no", "ticket", ticket));
            assertEquals("SERVING", otherAgentSocket.awaitReply("no").get("state").asText());
            agentPage.awaitText("#chat-subtitle", "Being served");

            // the agent closes; both pages say so inline and the conversation is read-only
            agentPage.click("#chat-tools button.close-ticket");
            agentPage.awaitText("#message-list .msg.system", "Consultation closed");
            customerPage.awaitText("#message-list .msg.system", "Consultation closed");
            customerPage.await("#composer-closed");
            agentPage.await("#composer-closed");
            agentPage.awaitGone("#desk-mine li[data-ticket='" + ticket + "']");
            agentPage.screenshot("closed");
            customerPage.screenshot("closed");

            customer.login("api"); // history through the REST API as well
            JsonNode closed = eventually(() -> customer.history("/history/consultations"),
                    list -> list.get("items").size() == 1 && "CLOSED".equals(list.get("items").get(0).get("state").asText()));
            assertEquals(agent.uid, closed.get("items").get(0).get("agent").asLong());
        }
    }

    @Test
    void withAutoAssignmentTheTicketReachesTheAgentWhoNotesPrivatelyRepliesByShortcutAndIsRated() throws Exception {
        Client admin = Client.existing(platform, platform.adminUser, platform.adminPassword).login("admin-console");
        Client agent = makeAgent(admin, "auto_agent");
        Client customer = Client.register(platform, "auto_customer");
        String topic = "double order " + customer.username;
        String shortcut = "glad" + customer.uid % 100_000;
        String note = "ordered twice by mistake, refund one of them";
        platform.startAutoDesk();
        try (Browser agentPage = Browser.open("desk-auto-agent", Browser.DESKTOP);
                Browser customerPage = Browser.open("desk-auto-customer", Browser.PHONE)) {
            agentPage.go(platform.autoDeskWeb).login(agent.username, agent.password, false);
            agentPage.await("#desk-panel:not([hidden])");
            agentPage.awaitText("#desk-mode", "assigned automatically");
            agentPage.await("#desk-agents li[data-agent='" + agent.uid + "'][data-status='online']");
            agentPage.awaitText("#desk-load", "Load");

            // a canned reply for the whole team
            agentPage.click("#desk-reply-add");
            agentPage.type("#dialog-shortcut", shortcut);
            agentPage.type("#dialog-text", "Glad we could help! The refund takes 3 days.");
            agentPage.click("#dialog-ok");
            agentPage.awaitText("#desk-replies", "/" + shortcut);

            // the customer asks; nobody grabs: the online agent is assigned at once
            customerPage.go(platform.autoDeskWeb).login(customer.username, customer.password, false);
            customerPage.click("#contact-support");
            customerPage.type("#dialog-topic", topic);
            customerPage.click("#dialog-ok");
            customerPage.await("#chat-view[data-conv^='c.']");
            String ticket = customerPage.find("#chat-view").getAttribute("data-conv");
            customerPage.awaitText("#chat-subtitle", "Being served");
            customerPage.awaitText("#message-list .msg.system", "is now serving you");
            agentPage.await("#desk-mine li[data-ticket='" + ticket + "']");
            agentPage.awaitText("#desk-load", "Load 1 /");

            agentPage.click("#desk-mine li[data-ticket='" + ticket + "']");
            agentPage.awaitText("#chat-title", topic);
            customerPage.say("I was charged twice");
            agentPage.awaitText("#message-list .msg.theirs", "I was charged twice");

            // a private note: a yellow bubble for agents, nothing for the customer
            agentPage.click("#note-toggle");
            agentPage.say(note);
            agentPage.awaitText("#message-list .msg.note", note);
            agentPage.click("#note-toggle");

            // "/" + the start of a shortcut offers the canned reply; picking it fills the message box
            agentPage.type("#composer-text", "/" + shortcut.substring(0, 3));
            agentPage.awaitText("#canned-suggestions li", "/" + shortcut);
            agentPage.click("#canned-suggestions li[data-shortcut='" + shortcut + "']");
            assertEquals("Glad we could help! The refund takes 3 days.", agentPage.find("#composer-text").getAttribute("value"));
            agentPage.click("#send");
            customerPage.awaitText("#message-list .msg.theirs", "Glad we could help!");
            assertEquals(0, customerPage.countMessages(note), "the customer never sees the note");
            agentPage.screenshot("auto-note-and-reply");

            // closed: the customer rates it, once
            agentPage.click("#chat-tools button.close-ticket");
            customerPage.awaitText("#message-list .msg.system", "Consultation closed");
            customerPage.await("#desk-rating .stars");
            customerPage.type("#rating-comment", "fast and friendly");
            customerPage.screenshot("auto-rating-prompt");
            customerPage.click("#desk-rating button.star[data-score='5']");
            customerPage.awaitText("#desk-rating", "You rated this consultation");
            assertEquals(0, customerPage.countMessages(note));
            agentPage.click("#desk-stats-refresh");
            agentPage.awaitText("#desk-stats", "CSAT");
            agentPage.screenshot("auto-closed-stats");

            // history: the rating is stored; the customer's transcript has no note, the agent's has it
            customer.login("api");
            JsonNode rated = eventually(() -> customer.history("/history/consultations"),
                    list -> list.get("items").size() == 1 && list.get("items").get(0).has("rating"));
            assertEquals(5, rated.get("items").get(0).get("rating").get("score").asInt());
            assertEquals("fast and friendly", rated.get("items").get(0).get("rating").get("comment").asText());
            String messages = "/history/conversations/" + ticket + "/messages";
            agent.login("api");
            eventually(() -> agent.history(messages), page -> page.toString().contains(note)); // stored (fails if never)
            Client.Response customerView = customer.history(messages);
            assertEquals(200, customerView.status());
            assertTrue(customerView.body().contains("Glad we could help!"));
            assertFalse(customerView.body().contains(note), "left out of the customer's history");
        } finally {
            platform.stopAutoDesk();
        }
    }

    private Client makeAgent(Client admin, String prefix) {
        Client agent = Client.register(platform, prefix);
        Client.Response changed = admin.auth("PUT", "/auth/users/" + agent.uid + "/role", Map.of("role", "AGENT"));
        assertEquals(200, changed.status(), changed.body());
        return agent;
    }
}

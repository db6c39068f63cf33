package io.chatplatform.e2e;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Message search in the browser: the hits with the matched words marked, a click opening the chat at the message. */
class WebSearchBrowserTest extends BrowserTest {

    @Test
    void searchFindsChineseAndAccentedWordsAndOpensTheChatAtAnOldMessage() throws Exception {
        Client dave = Client.register(platform, "dave").login("phone");
        Client erin = Client.register(platform, "erin").login("laptop");
        String conv = ConversationId.direct(dave.uid, erin.uid).value();
        List<String> bodies = new ArrayList<>();
        bodies.add("我们明天在东京见面");
        bodies.add("The Crème Brûlée recipe is in the shared folder");
        for (int i = 3; i <= 45; i++) {
            bodies.add("small talk " + i);
        }
        try (var socket = dave.connect()) {
            for (int i = 0; i < bodies.size(); i++) {
                socket.send(Map.of("type", "send", "id", "s" + i, "cid", "s" + i, "to", Map.of("user", erin.uid),
                        "kind", "text", "body", bodies.get(i)));
                assertEquals("ack", socket.awaitReply("s" + i).get("type").asText());
                Thread.sleep(30); // stay under the per-connection frame rate
            }
        }
        try (Browser browser = Browser.open("search", Browser.DESKTOP)) {
            browser.go(platform.web).login(erin.username, erin.password, false);
            browser.awaitText("#conv-list .conv-item", "small talk 45");

            browser.type("#search-input", "东京");
            browser.awaitText("#search-results .search-hit mark", "东京");
            assertEquals(1, browser.findAll("#search-results .search-hit").size());

            browser.type("#search-input", "creme brul");
            browser.awaitText("#search-results .search-hit", "Crème Brûlée recipe");
            List<String> marked = browser.findAll("#search-results .search-hit mark").stream().map(m -> m.getText()).toList();
            assertEquals(List.of("Crème", "Brûl"), marked, "the matched parts of the original text");
            browser.screenshot("results");

            // the hit is message 2 of 45: below the first page (30); the chat opens scrolled to it
            browser.click("#search-results .search-hit");
            browser.awaitText("#chat-title", dave.username);
            browser.await("#message-list li.search-target");
            assertEquals("2", browser.find("#message-list li.search-target").getAttribute("data-seq"));
            assertTrue(browser.find("#message-list li.search-target").getText().contains("Crème Brûlée recipe"));
            assertEquals(conv, browser.find("#chat-view").getAttribute("data-conv"));
            browser.screenshot("opened-at-hit");

            browser.type("#search-input", "nothing like this");
            browser.awaitText("#search-status", "No messages found");
            browser.js("document.getElementById('search-input').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))");
            browser.awaitGone("#search-panel:not([hidden])");
            browser.await("#conv-list .conv-item");
        }
    }
}

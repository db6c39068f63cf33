package io.chatplatform.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The web client in a real browser (headless Chromium), against the packaged services: the page uses only the public
 * REST APIs and the WebSocket, like any client. Screenshots land in target/screenshots/.
 */
class WebChatBrowserTest extends BrowserTest {

    @Test
    void twoPeopleChatBothWaysWithReadReceiptsImagesAndAReconnectThatMissesNothing() {
        String aliceName = "alice_" + UUID.randomUUID().toString().substring(0, 8);
        String alicePassword = "password-" + aliceName;
        Client bob = Client.register(platform, "bob");

        try (Browser alice = Browser.open("chat-alice", Browser.DESKTOP); Browser bobs = Browser.open("chat-bob", Browser.PHONE)) {
            alice.go(platform.web).login(aliceName, alicePassword, true); // registers through the page
            bobs.go(platform.web).login(bob.username, bob.password, false);

            // alice starts a direct chat by username and writes
            alice.click("#new-direct");
            alice.type("#dialog-username", bob.username);
            alice.click("#dialog-ok");
            alice.awaitText("#chat-title", bob.username);
            alice.say("hello bob");
            alice.awaitText("#message-list .msg.mine", "hello bob");

            // bob's list shows it unread, newest first; opening it marks it read and alice sees "read"
            bobs.awaitText("#conv-list .conv-item", "hello bob");
            assertEquals("1", bobs.await("#conv-list .conv-item .badge").getText());
            bobs.click("#conv-list .conv-item");
            bobs.awaitText("#message-list .msg.theirs", "hello bob");
            alice.awaitText("#message-list .msg.mine .msg-status.read", "read");

            // and back
            bobs.say("hi alice, got it");
            alice.awaitText("#message-list .msg.theirs", "hi alice, got it");
            bobs.awaitText("#message-list .msg.mine .msg-status.read", "read");

            // typing indicator
            bobs.type("#composer-text", "typing something");
            alice.awaitText("#typing", "is typing");
            bobs.type("#composer-text", "");

            // an image by URL (served by chat-service itself: no outside network)
            alice.click("#attach-link");
            alice.type("#dialog-url", platform.web + "favicon.svg");
            alice.click("#dialog-ok");
            bobs.await("#message-list .msg.theirs img.media-image");
            alice.await("#message-list .msg.mine img.media-image");

            // alice's connection drops; bob writes meanwhile; after the reconnect the page fills the gap from history
            alice.js("window.chatApp.socket.simulateDrop(2500)");
            alice.awaitText("#conn-status", "retrying");
            bobs.say("while you were away 1");
            bobs.say("while you were away 2");
            bobs.awaitText("#message-list .msg.mine", "while you were away 2");
            alice.awaitText("#conn-status", "online");
            alice.awaitText("#message-list .msg.theirs", "while you were away 2");
            alice.awaitText("#message-list .msg.theirs", "while you were away 1");
            bobs.say("and one more live");
            alice.awaitText("#message-list .msg.theirs", "and one more live");
            for (String text : new String[] {"hello bob", "hi alice, got it", "while you were away 1", "while you were away 2", "and one more live"}) {
                assertEquals(1, alice.countMessages(text), "exactly once on alice's page: " + text);
            }
            assertEquals(6, alice.findAll("#message-list li").size(), "nothing missing, nothing twice");
            assertSeqOrder(alice);

            alice.screenshot("desktop");
            bobs.screenshot("phone");
        }
    }

    @Test
    void aSecondLoginOnTheSameDeviceSignsTheFirstPageOutAndDevicesCanBeKicked() {
        Client carol = Client.register(platform, "carol");
        try (Browser browser = Browser.open("signed-out", Browser.DESKTOP)) {
            browser.go(platform.web).login(carol.username, carol.password, false);
            String first = browser.window();

            // a second tab of the same browser shares the session (localStorage): signed in at once, same device
            String second = browser.newTab();
            browser.go(platform.web);
            browser.await("#app-view:not([hidden])");
            browser.awaitText("#conn-status", "online");

            // a login elsewhere with this browser's device id replaces the device's session and refresh token: both
            // tabs are signed out (their refresh cannot renew it)
            String device = (String) browser.js("return localStorage.getItem('chat.deviceId')");
            Client.existing(platform, carol.username, carol.password).login(device);
            browser.switchTo(first);
            browser.awaitText("#login-message", "Signed in elsewhere");
            browser.await("#login-view:not([hidden])");
            browser.screenshot("first-tab");

            // the second tab logs in again, lists carol's devices and signs another one out
            browser.switchTo(second);
            browser.login(carol.username, carol.password, false);
            Client phone = Client.existing(platform, carol.username, carol.password).login("phone");
            assertEquals(200, phone.auth("GET", "/auth/me", null).status());
            browser.click("#devices-button");
            browser.await("#device-list li[data-device='phone'] .kick");
            browser.screenshot("devices");
            browser.click("#device-list li[data-device='phone'] .kick");
            browser.awaitGone("#device-list li[data-device='phone']");
            assertEquals(401, phone.auth("GET", "/auth/me", null).status(), "the kicked device is signed out");
            browser.click("#dialog-cancel");

            // errors from the server are shown in words
            browser.click("#new-direct");
            browser.type("#dialog-username", "nobody_" + UUID.randomUUID().toString().substring(0, 8));
            browser.click("#dialog-ok");
            browser.awaitText("#dialog-error", "no such user");
            browser.click("#dialog-cancel");

            browser.click("#logout-button");
            browser.awaitText("#login-message", "logged out");
            assertEquals(401, Client.existing(platform, carol.username, carol.password).auth("GET", "/auth/sessions", null).status());
        }
    }

    @Test
    void aGroupIsCreatedFromThePageAndOlderMessagesComeOnScrollBack() throws Exception {
        Client dave = Client.register(platform, "dave").login("phone");
        Client erin = Client.register(platform, "erin");
        try (Browser browser = Browser.open("group", Browser.DESKTOP)) {
            browser.go(platform.web).login(erin.username, erin.password, false);
            browser.click("#new-group");
            browser.type("#dialog-name", "weekend trip");
            browser.type("#dialog-members", dave.username);
            browser.click("#dialog-ok");
            browser.awaitText("#chat-title", "weekend trip");
            String conv = browser.find("#chat-view").getAttribute("data-conv");
            assertTrue(conv.startsWith("g."), conv);

            // dave (another client app) fills the group with 40 messages: more than the page loads first (30)
            try (var socket = dave.connect()) {
                for (int i = 1; i <= 40; i++) {
                    socket.send(Map.of("type", "send", "id", "m" + i, "cid", "m" + i, "to", conv, "kind", "text", "body", "plan item " + i));
                    assertEquals("ack", socket.awaitReply("m" + i).get("type").asText());
                    Thread.sleep(30); // stay under the per-connection frame rate
                }
            }
            browser.awaitText("#message-list .msg.theirs", "plan item 40");
            browser.awaitText("#conv-list .conv-item", "plan item 40");

            // reload: the newest page comes from history; the older ones on scroll-back (before=)
            browser.go(platform.web);
            browser.await("#app-view:not([hidden])");
            browser.click("#conv-list .conv-item[data-conv='" + conv + "']");
            browser.awaitText("#message-list", "plan item 40");
            browser.await("#load-older");
            assertEquals(30, browser.findAll("#message-list li").size(), "the newest page first");
            browser.js("document.getElementById('messages').scrollTop = 0");
            // 40 messages and the SYSTEM line "... created the group" (auth's notice, posted by chat)
            browser.awaitCount("#message-list li", 41);
            browser.awaitGone("#load-older:not([hidden])");
            assertSeqOrder(browser);
            browser.screenshot("scrolled-back");
        }
    }

    private static void assertSeqOrder(Browser browser) {
        long last = 0;
        for (var item : browser.findAll("#message-list li")) {
            long seq = Long.parseLong(item.getAttribute("data-seq"));
            assertTrue(seq > last, "messages in seq order");
            last = seq;
        }
    }
}

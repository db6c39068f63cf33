package io.chatplatform.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.localstack.SharedStores;
import io.chatplatform.localstack.WsClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The web client's account features in a real browser, on a platform whose access tokens live only 12 seconds: the
 * page renews them silently (refresh token), stays signed in across a reload and across a Redis wipe (its socket is
 * closed with 4001 and comes back after a refresh re-created the device session), changes the profile, blocks a
 * user from the direct chat's header and sets a group's announcement and only-admins-send mode in its settings panel. Screenshots land in target/screenshots/.
 */
class WebAccountBrowserTest extends BrowserTest {

    private static final Duration LIFETIME = Duration.ofSeconds(12);

    @Override
    protected Platform startPlatform() {
        return Platform.withAuth(Map.of("auth.jwt.lifetime", LIFETIME.toSeconds() + "s"));
    }

    @Test
    void thePageOutlivesItsAccessTokensAReloadAndARedisWipeWithoutANewLogin() throws Exception {
        String aliceName = "alice_" + UUID.randomUUID().toString().substring(0, 8);
        Client bob = Client.register(platform, "bob").login("bob-phone");
        try (Browser alice = Browser.open("account-alice", Browser.DESKTOP); WsClient bobSocket = bob.connect()) {
            alice.go(platform.web).login(aliceName, "password-" + aliceName, true);
            alice.click("#new-direct");
            alice.type("#dialog-username", bob.username);
            alice.click("#dialog-ok");
            alice.awaitText("#chat-title", bob.username);
            alice.say("before the token expires");
            awaitMessage(bobSocket, "before the token expires");

            // the access token is renewed before it expires, again and again, without a login
            Set<String> tokens = new HashSet<>();
            long deadline = System.nanoTime() + LIFETIME.multipliedBy(4).toNanos();
            while (tokens.size() < 3 && System.nanoTime() < deadline) {
                tokens.add((String) alice.js("return window.chatApp.api.session.accessToken"));
                Thread.sleep(250);
            }
            assertTrue(tokens.size() >= 3, "two silent renewals within " + LIFETIME.multipliedBy(4).toSeconds() + " s: " + tokens.size());
            assertEquals(Boolean.TRUE, alice.js("return document.getElementById('login-view').hidden"));
            alice.say("after two renewals");
            awaitMessage(bobSocket, "after two renewals");

            // a reload keeps the session (localStorage): no login form, the conversation is there
            alice.go(platform.web);
            alice.await("#app-view:not([hidden])");
            alice.awaitText("#conn-status", "online");
            alice.awaitText("#conv-list .conv-item", "after two renewals");
            alice.screenshot("account-after-token-expiry");

            // Redis loses every device session: the socket closes with 4001, the page refreshes and reconnects
            String before = (String) alice.js("return window.chatApp.api.session.refreshToken");
            SharedStores.flushRedis();
            long renewedBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (before.equals(alice.js("return window.chatApp.api.session.refreshToken")) && System.nanoTime() < renewedBy) {
                Thread.sleep(200);
            }
            assertNotEquals(before, alice.js("return window.chatApp.api.session.refreshToken"), "renewed after the wipe");
            alice.awaitText("#conn-status", "online");
            assertEquals(Boolean.TRUE, alice.js("return document.getElementById('login-view').hidden"));
            alice.click("#conv-list .conv-item");
            alice.say("after the redis wipe");
            alice.awaitText("#message-list .msg.mine", "after the redis wipe");

            // profile: a display name
            alice.click("#profile-button");
            alice.type("#profile-name", "Alice Liddell");
            alice.click("#profile-save");
            alice.awaitText("#profile-message", "Profile saved");
            alice.click("#dialog-cancel");
            alice.awaitText("#me-name", "Alice Liddell");

            // block bob from the direct chat's header: his direct sends are refused
            alice.js("window.confirm = () => true");
            alice.awaitText("#block-user", "Block");
            alice.click("#block-user");
            alice.awaitText("#block-user", "Unblock");
            alice.awaitText("#chat-subtitle", "you blocked this user");
            alice.screenshot("account-blocked");
            Client bobAgain = Client.existing(platform, bob.username, bob.password).login("bob-phone-2");
            try (WsClient bobNow = bobAgain.connect()) {
                bobNow.send(Map.of("type", "send", "id", "b1", "cid", "b1", "to", Map.of("user", aliceId(alice)),
                        "kind", "text", "body", "let me in"));
                JsonNode refused = bobNow.awaitReply("b1");
                assertEquals("FORBIDDEN", refused.path("code").asText(), refused.toString());

                // a group made on the page; its settings panel: an announcement and only-admins-send
                alice.click("#new-group");
                alice.type("#dialog-name", "book club");
                alice.type("#dialog-members", bob.username);
                alice.click("#dialog-ok");
                alice.awaitText("#chat-title", "book club");
                String conv = alice.find("#chat-view").getAttribute("data-conv");
                alice.click("#group-settings");
                alice.await("#group-members li[data-role='owner']");
                alice.type("#group-announcement", "Chapter 3 on Friday");
                alice.click("#group-only-admins");
                alice.click("#group-save");
                alice.awaitText("#notices", "Group saved");
                alice.screenshot("account-group-settings");
                alice.click("#dialog-cancel");
                alice.awaitText("#chat-subtitle", "Chapter 3 on Friday");
                alice.awaitText("#message-list", "allowed only the owner and admins to send");
                bobNow.send(Map.of("type", "send", "id", "b2", "cid", "b2", "to", conv, "kind", "text", "body", "me too?"));
                assertEquals("FORBIDDEN", bobNow.awaitReply("b2").path("code").asText());
            }
        }
    }

    private static long aliceId(Browser alice) {
        return ((Number) alice.js("return window.chatApp.me.id")).longValue();
    }

    private static void awaitMessage(WsClient socket, String body) {
        socket.await(f -> "message".equals(f.path("type").asText()) && body.equals(f.path("body").asText()),
                Duration.ofSeconds(20));
    }
}

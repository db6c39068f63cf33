package io.chatplatform.e2e;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * Reply, react, edit, recall (my own, and as the group's owner someone else's) and a mention from the web client in two
 * real browsers, live and after a reload (the state then comes from history). Screenshots land in target/screenshots/.
 */
class WebMessageLifecycleBrowserTest extends BrowserTest {

    @Test
    void replyReactEditMentionAndRecallShowLiveAndAfterAReload() {
        Client alice = Client.register(platform, "alice");
        Client bob = Client.register(platform, "bob");
        try (Browser alices = Browser.open("lifecycle-alice", Browser.DESKTOP);
                Browser bobs = Browser.open("lifecycle-bob", Browser.DESKTOP)) {
            alices.go(platform.web).login(alice.username, alice.password, false);
            bobs.go(platform.web).login(bob.username, bob.password, false);
            alices.click("#new-group");
            alices.type("#dialog-name", "lifecycle");
            alices.type("#dialog-members", bob.username);
            alices.click("#dialog-ok");
            alices.awaitText("#chat-title", "lifecycle");
            String conv = alices.find("#chat-view").getAttribute("data-conv");
            alices.say("hello team");
            alices.awaitText("#message-list .msg.mine", "hello team");

            bobs.click("#conv-list .conv-item[data-conv='" + conv + "']");
            bobs.awaitText("#message-list .msg.theirs", "hello team");

            // reply: the quote shows above the input, then in both bubbles
            openMenu(bobs, ".msg.theirs");
            bobs.click("#message-list .msg.theirs.show-actions [data-action='reply']");
            bobs.awaitText("#reply-bar", "hello team");
            bobs.say("hi alice");
            bobs.awaitGone("#reply-bar:not([hidden])");
            bobs.awaitText("#message-list .msg.mine .quote", "hello team");
            alices.awaitText("#message-list .msg.theirs .quote", "hello team");

            // react: a picker, then a count under alice's bubble on both pages
            openMenu(bobs, ".msg.theirs");
            bobs.click("#message-list .msg.theirs.show-actions [data-action='react']");
            bobs.click("#message-list .emoji-picker .emoji[data-emoji='👍']");
            bobs.awaitText("#message-list .msg.theirs .reaction.mine", "👍 1");
            alices.awaitText("#message-list .msg.mine .reaction", "👍 1");

            // edit own text: "edited" on both pages
            openMenu(alices, ".msg.mine");
            alices.click("#message-list .msg.mine.show-actions [data-action='edit']");
            alices.type("#dialog-text", "hello team!");
            alices.click("#dialog-ok");
            bobs.awaitText("#message-list .msg.theirs", "hello team!");
            bobs.awaitText("#message-list .msg.theirs .msg-edited", "edited");
            alices.awaitText("#message-list .msg.mine .msg-edited", "edited");
            bobs.awaitText("#message-list .msg.mine .quote", "hello team"); // the quote keeps what was answered

            // bob's connection drops; alice writes and edits meanwhile: the reconnect's after= sync brings both
            bobs.js("window.chatApp.socket.simulateDrop(2500)");
            bobs.awaitText("#conn-status", "retrying");
            alices.say("while bob was away");
            WebElement away = alices.awaitText("#message-list .msg.mine", "while bob was away");
            alices.js("arguments[0].dispatchEvent(new MouseEvent('contextmenu', {bubbles: true}))", away);
            alices.click("#message-list .msg.mine.show-actions [data-action='edit']");
            alices.type("#dialog-text", "while bob was away, edited");
            alices.click("#dialog-ok");
            alices.awaitText("#message-list .msg.mine", "while bob was away, edited");
            bobs.awaitText("#conn-status", "online");
            WebElement synced = bobs.awaitText("#message-list .msg.theirs", "while bob was away, edited");
            assertTrue(synced.getText().contains("edited"));

            // a mention by @ completion, highlighted for bob
            alices.type("#composer-text", "@" + bob.username.substring(0, 4));
            alices.click("#mention-list .mention-option[data-name='" + bob.username + "']");
            assertEquals("@" + bob.username + " ", alices.find("#composer-text").getAttribute("value"));
            alices.find("#composer-text").sendKeys("look at this");
            alices.click("#send");
            bobs.awaitText("#message-list .msg.theirs .mention.mention-me", "@" + bob.username);
            alices.screenshot("live");
            bobs.screenshot("live");

            // alice recalls the mention within the window
            WebElement mention = alices.awaitText("#message-list .msg.mine", "look at this");
            alices.js("arguments[0].dispatchEvent(new MouseEvent('contextmenu', {bubbles: true}))", mention);
            alices.click("#message-list .msg.mine.show-actions [data-action='recall']");
            alices.click("#dialog-ok");
            alices.awaitText("#message-list .msg.recalled", "You recalled a message");
            bobs.awaitText("#message-list .msg.recalled", alice.username + " recalled a message");
            assertEquals(0, bobs.countMessages("look at this"));

            // alice owns the group: she may recall bob's message too (a member only recalls his own)
            bobs.say("spam from bob");
            WebElement spam = alices.awaitText("#message-list .msg.theirs", "spam from bob");
            alices.js("arguments[0].dispatchEvent(new MouseEvent('contextmenu', {bubbles: true}))", spam);
            alices.click("#message-list .msg.theirs.show-actions [data-action='recall']");
            alices.click("#dialog-ok");
            awaitNoMessage(bobs, "spam from bob");
            awaitNoMessage(alices, "spam from bob");
            assertEquals(2, bobs.findAll("#message-list .msg.recalled").size(), "the mention and bob's message");

            // delete for me: gone from bob's page, still on alice's
            alices.say("only for alice to keep");
            WebElement keep = bobs.awaitText("#message-list .msg.theirs", "only for alice to keep");
            bobs.js("arguments[0].dispatchEvent(new MouseEvent('contextmenu', {bubbles: true}))", keep);
            bobs.click("#message-list .msg.theirs.show-actions [data-action='hide']");
            awaitNoMessage(bobs, "only for alice to keep");
            assertEquals(1, alices.countMessages("only for alice to keep"));

            // forward alice's message from the group into bob's direct chat with her
            bobs.click("#new-direct");
            bobs.type("#dialog-username", alice.username);
            bobs.click("#dialog-ok");
            bobs.awaitText("#chat-title", alice.username);
            String direct = ConversationId.direct(alice.uid, bob.uid).value();
            bobs.click("#conv-list .conv-item[data-conv='" + conv + "']");
            openMenu(bobs, ".msg.theirs");
            bobs.click("#message-list .msg.theirs.show-actions [data-action='forward']");
            bobs.await("#dialog-to");
            bobs.js("document.getElementById('dialog-to').value = arguments[0]", direct);
            bobs.click("#dialog-ok");
            alices.click("#conv-list .conv-item[data-conv='" + direct + "']");
            alices.awaitText("#message-list .msg.theirs .forwarded", "Forwarded");
            alices.awaitText("#message-list .msg.theirs", "hello team!");

            // after a reload everything comes from history in its final state
            bobs.go(platform.web);
            bobs.await("#app-view:not([hidden])");
            bobs.click("#conv-list .conv-item[data-conv='" + conv + "']");
            bobs.awaitText("#message-list .msg.theirs", "hello team!");
            bobs.awaitText("#message-list .msg.theirs .msg-edited", "edited");
            bobs.awaitText("#message-list .msg.theirs .reaction.mine", "👍 1");
            bobs.awaitText("#message-list .msg.mine .quote", "hello team");
            bobs.awaitText("#message-list .msg.recalled", alice.username + " recalled a message");
            assertEquals(0, bobs.countMessages("look at this"), "a recalled body never comes back");
            bobs.awaitText("#message-list", "hello team!");
            assertEquals(0, bobs.countMessages("only for alice to keep"), "hidden for bob in history too");
            assertFalse(bobs.find("#conv-list").getText().contains("only for alice to keep"), "and in his list's preview");
            assertFalse(bobs.find("#conv-list").getText().contains("look at this"), "nor in the list's preview");
            assertTrue(bobs.findAll("#message-list li").size() >= 3);
            assertEquals(0, bobs.countMessages("spam from bob"), "recalled by the owner, for good");
            openMenu(bobs, ".msg.theirs");
            assertTrue(bobs.findAll("#message-list .msg.theirs.show-actions [data-action='recall']").isEmpty(),
                    "a member has no Recall under someone else's message");
            bobs.screenshot("reloaded");
        }
    }

    private static void awaitNoMessage(Browser browser, String text) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (browser.countMessages(text) > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("'" + text + "' still shown");
            }
            browser.js("return 0"); // a round trip to the page between looks
        }
    }

    /** The message menu, as a right click (or a long press on a phone) opens it. */
    private static void openMenu(Browser browser, String bubble) {
        WebElement message = browser.await("#message-list " + bubble);
        browser.js("arguments[0].dispatchEvent(new MouseEvent('contextmenu', {bubbles: true}))", message);
        browser.await("#message-list .show-actions .msg-actions");
    }
}

package io.chatplatform.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Uploads from the web client (history-service POST /media, then {@code send} with media {id}): a real PNG picked with
 * the file input arrives at the other side as its thumbnail, which opens the full-size image; a text file arrives as
 * a download chip with its name and size.
 */
class WebMediaBrowserTest extends BrowserTest {

    @Test
    void anUploadedImageShowsItsThumbnailOnTheOtherSideAndOpensFullSize() throws Exception {
        Client alice = Client.register(platform, "alice");
        Client bob = Client.register(platform, "bob");
        Path dir = Files.createDirectories(Path.of("target", "media-upload").toAbsolutePath());
        Path png = dir.resolve("sunset-" + UUID.randomUUID().toString().substring(0, 6) + ".png");
        BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(250, 140, 40));
        g.fillRect(0, 0, 800, 600);
        g.setColor(new Color(40, 40, 120));
        g.fillOval(250, 150, 300, 300);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "meeting notes\n".repeat(100), StandardCharsets.UTF_8);
        Path voice = dir.resolve("voice.ogg");
        byte[] ogg = new byte[2048];
        System.arraycopy("OggS".getBytes(StandardCharsets.US_ASCII), 0, ogg, 0, 4);
        Files.write(voice, ogg);

        try (Browser a = Browser.open("media-alice", Browser.DESKTOP); Browser b = Browser.open("media-bob", Browser.DESKTOP)) {
            a.go(platform.web).login(alice.username, alice.password, false);
            b.go(platform.web).login(bob.username, bob.password, false);
            a.click("#new-direct");
            a.type("#dialog-username", bob.username);
            a.click("#dialog-ok");
            a.awaitText("#chat-title", bob.username);
            a.say("a picture for you");
            b.awaitText("#conv-list .conv-item", "a picture for you");
            b.click("#conv-list .conv-item");
            b.awaitText("#message-list .msg.theirs", "a picture for you");

            // the hidden file input behind the 📎 button (what the picker fills in)
            a.find("#attach-file").sendKeys(png.toString());
            a.await("#message-list .msg.mine img.media-thumb");

            b.await("#message-list .msg.theirs img.media-thumb");
            Object thumbWidth = b.awaitJs("the thumbnail loaded", "const i = document.querySelector("
                    + "'#message-list .msg.theirs img.media-thumb'); return i && i.complete && i.naturalWidth > 0 ? i.naturalWidth : null;");
            assertEquals(320L, ((Number) thumbWidth).longValue(), "the 320 px thumbnail, not the 800 px original");
            String thumbSrc = (String) b.js("return document.querySelector('#message-list .msg.theirs img.media-thumb').src");
            assertTrue(thumbSrc.startsWith(platform.history + "/media/") && thumbSrc.contains("/thumbnail?exp="), thumbSrc);

            b.click("#message-list .msg.theirs a.media-link");
            b.await("#media-viewer[open] #media-full");
            Object fullWidth = b.awaitJs("the full image loaded", "const i = document.getElementById('media-full');"
                    + " return i.complete && i.naturalWidth > 0 ? i.naturalWidth : null;");
            assertEquals(800L, ((Number) fullWidth).longValue());
            b.screenshot("viewer");
            b.click("#media-close");
            b.awaitGone("#media-viewer[open]");

            // a file: a chip with its name and size, whose link downloads it
            a.find("#attach-file").sendKeys(text.toString());
            b.awaitText("#message-list .msg.theirs .file-chip", "notes.txt");
            String chip = b.awaitText("#message-list .msg.theirs .file-chip", "notes.txt").getText();
            assertTrue(chip.contains("1.4 KiB"), chip);

            // a voice note (any Ogg container: the type is sniffed from the bytes) plays inline
            a.find("#attach-file").sendKeys(voice.toString());
            b.await("#message-list .msg.theirs audio.media-audio");

            // dropped onto the messages (an image the page draws itself): uploaded and sent the same way
            a.js("""
                    const canvas = document.createElement('canvas');
                    canvas.width = 64; canvas.height = 48;
                    canvas.getContext('2d').fillRect(0, 0, 64, 48);
                    canvas.toBlob((blob) => {
                      const transfer = new DataTransfer();
                      transfer.items.add(new File([blob], 'dropped.png', { type: 'image/png' }));
                      document.getElementById('messages').dispatchEvent(
                        new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
                    }, 'image/png');
                    """);
            b.awaitJs("the dropped image's thumbnail", "return document.querySelectorAll("
                    + "'#message-list .msg.theirs img.media-thumb').length === 2 ? true : null;");
            a.awaitJs("the progress bar gone once the uploads are done",
                    "return document.getElementById('upload-progress').hidden ? true : null;");
            b.screenshot("received");
        }
    }
}

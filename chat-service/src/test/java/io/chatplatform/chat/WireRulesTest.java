package io.chatplatform.chat;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.chatplatform.localstack.RawWebSocket;
import io.chatplatform.localstack.WsClient;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 rules at the wire, from a client on a plain socket (what no well-behaved library sends): text that is not
 * UTF-8, compressed frames, one huge frame written in full before reading, and parallel upgrades against the per-user cap.
 */
@QuarkusTest
class WireRulesTest extends ChatTestBase {

    @Test
    void aTextFrameThatIsNotUtf8ClosesWith1007AndIsNotStored() throws Exception {
        long bob = TestUsers.newUid();
        TestUsers.Device alice = users.login(TestUsers.newUid(), "d");
        WsClient neighbour = connect(users.login(TestUsers.newUid(), "d"));
        try (RawWebSocket raw = RawWebSocket.bearer(wsUri(), alice.token(), 0)) {
            assertEquals(101, raw.status);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(("{\"type\":\"send\",\"id\":\"u\",\"cid\":\"u\",\"to\":{\"user\":" + bob + "},\"kind\":\"text\",\"body\":\"")
                    .getBytes(StandardCharsets.UTF_8));
            frame.write(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}); // a broken two-byte sequence, a byte UTF-8 never has
            frame.write("\"}".getBytes(StandardCharsets.UTF_8));
            raw.sendFrame(RawWebSocket.TEXT, frame.toByteArray(), false);
            assertEquals(1007, raw.awaitCloseCode(), () -> "reason: " + raw.closeReason);
        }
        String direct = ConversationId.direct(alice.uid(), bob).value();
        assertFalse(redis.key().exists("chat:seq:{" + direct + "}"), "nothing was sent");
        neighbour.assertAlive();
    }

    @Test
    void compressionIsNeverNegotiatedAndACompressedFrameIsAProtocolError() throws Exception {
        WsClient neighbour = connect(users.login(TestUsers.newUid(), "d"));
        TestUsers.Device device = users.login(TestUsers.newUid(), "d");
        try (RawWebSocket raw = RawWebSocket.connect(wsUri(), Map.of("Authorization", "Bearer " + device.token(),
                "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"), 0)) {
            assertEquals(101, raw.status);
            assertFalse(raw.headers.containsKey("sec-websocket-extensions"), "no extension accepted: " + raw.headers);
            // a compression bomb: 16 MiB of zeros deflate to ~16 KiB; sent anyway with the compression bit set
            raw.sendFrame(RawWebSocket.TEXT, deflate(new byte[16 << 20]), true);
            assertEquals(1002, raw.awaitCloseCode(), () -> "a protocol error: " + raw.closeReason);
        }
        neighbour.assertAlive();
    }

    @Test
    void oneFrameOverTheLimitWrittenInFullStillGetsThe1009CloseFrame() throws Exception {
        TestUsers.Device device = users.login(TestUsers.newUid(), "d");
        try (RawWebSocket raw = RawWebSocket.bearer(wsUri(), device.token(), 0)) {
            // a single 200 KB frame, written whole before anything is read (what Node's ws does)
            raw.sendText("{\"type\":\"ping\",\"id\":\"" + "x".repeat(200_000) + "\"}");
            assertEquals(1009, raw.awaitCloseCode());
        }
    }

    @Test
    void parallelUpgradesOfOneUserCannotPassTheCap() throws Exception {
        long uid = TestUsers.newUid();
        TestUsers.Device device = users.login(uid, "d");
        int attempts = 15;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RawWebSocket>> upgrades = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                upgrades.add(pool.submit((Callable<RawWebSocket>) () -> {
                    start.await();
                    return RawWebSocket.bearer(wsUri(), device.token(), 0);
                }));
            }
            start.countDown();
            int opened = 0;
            int refused = 0;
            for (Future<RawWebSocket> upgrade : upgrades) {
                RawWebSocket socket = upgrade.get();
                if (socket.status == 101) {
                    opened++;
                } else if (socket.status == 429) {
                    refused++;
                }
            }
            assertEquals(10, opened, "chat.limits.max-connections-per-user");
            assertEquals(5, refused);
        } finally {
            for (Future<RawWebSocket> upgrade : upgrades) {
                try {
                    upgrade.get().close();
                } catch (Exception failed) {
                    // never opened
                }
            }
            pool.shutdownNow();
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[65_536];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }
}

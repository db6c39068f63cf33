package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Background checks: heartbeats (a peer that answers pings stays, a silent one is closed) and session audits. */
@QuarkusTest
@TestProfile(HeartbeatTest.FastHeartbeat.class)
class HeartbeatTest extends ChatTestBase {

    public static class FastHeartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.websockets-next.server.auto-ping-interval", "200ms", "chat.heartbeat-timeout", "1500ms",
                    "chat.session-audit-interval", "300ms");
        }
    }

    @Test
    void aSessionEndedWithoutAnAuthEventIsStillClosedWith4001() {
        long uid = TestUsers.newUid();
        TestUsers.Device phone = users.login(uid, "phone");
        WsClient socket = connect(phone);
        WsClient other = connect(users.login(uid, "laptop"));
        socket.assertAlive();
        redis.hash(String.class).hdel(io.chatplatform.localstack.TestTokens.sessionKey(uid), "phone"); // no auth:events message
        assertEquals(4001, socket.awaitClose(Duration.ofSeconds(3)));
        other.assertAlive();
    }

    private static void skipHeaders(InputStream in) throws java.io.IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** Reads one frame and returns its opcode, or -1 at end of stream. */
    private static int readFrameOpcode(InputStream in) throws java.io.IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            return -1;
        }
        long length = second & 0x7f;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        in.skipNBytes(length);
        return first & 0x0f;
    }

    @Test
    void aPeerThatAnswersPingsStaysAndASilentOneIsClosed() throws Exception {
        WsClient answering = connect(users.login(TestUsers.newUid(), "live")); // the JDK client answers pings
        TestUsers.Device dead = users.login(TestUsers.newUid(), "dead");
        try (Socket raw = new Socket(wsUri().getHost(), wsUri().getPort())) {
            OutputStream out = raw.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + dead.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            raw.setSoTimeout(5000);
            InputStream in = raw.getInputStream();
            byte[] head = new byte[12];
            assertEquals(12, in.readNBytes(head, 0, 12));
            assertTrue(new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"));
            skipHeaders(in);
            long start = System.nanoTime();
            boolean closedByServer = false;
            int pings = 0;
            try {
                while (!closedByServer) {
                    int opcode = readFrameOpcode(in); // server frames are unmasked
                    pings += opcode == 0x9 ? 1 : 0;
                    closedByServer = opcode == 0x8 || opcode < 0;
                }
            } catch (SocketTimeoutException stillOpen) {
                closedByServer = false;
            }
            assertTrue(pings > 0, "the server pinged");
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(closedByServer, "the silent peer is closed");
            assertTrue(waited >= 1000, "not before the heartbeat timeout: " + waited + " ms");
        }
        Thread.sleep(500);
        assertFalse(answering.isClosed());
        answering.assertAlive();
    }
}

package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HandshakeTest extends ChatTestBase {

    @Test
    void bearerHeader() {
        var device = users.login(TestUsers.newUid(), "phone");
        connect(device).assertAlive();
    }

    @Test
    void subprotocolHeaderInQuarkusConventionIsAnsweredWithChatV1() {
        var device = users.login(TestUsers.newUid(), "browser");
        String header = URLEncoder.encode("quarkus-http-upgrade#Authorization#Bearer " + device.token(), StandardCharsets.UTF_8);
        WsClient client = track(WsClient.connect(wsUri(), Map.of(), List.of("chat.v1", header)));
        assertEquals("chat.v1", client.subprotocol());
        client.assertAlive();
    }

    @Test
    void aTicketWorksOnceOnly() {
        var device = users.login(TestUsers.newUid(), "browser");
        String ticket = users.ticket(device);
        URI withTicket = URI.create(wsUri() + "?ticket=" + ticket);
        track(WsClient.connect(withTicket, Map.of(), List.of())).assertAlive();
        assertRefused(401, () -> WsClient.connect(withTicket, Map.of(), List.of()));
        assertRefused(401, () -> WsClient.connect(URI.create(wsUri() + "?ticket=made-up"), Map.of(), List.of()));
    }

    @Test
    void aTicketOfAReplacedSessionIsRefused() {
        long uid = TestUsers.newUid();
        var old = users.login(uid, "browser");
        String ticket = users.ticket(old);
        users.login(uid, "browser");
        assertRefused(401, () -> WsClient.connect(URI.create(wsUri() + "?ticket=" + ticket), Map.of(), List.of()));
    }

    @Test
    void noOrBadCredentialsAre401WithoutUpgrade() {
        assertRefused(401, () -> WsClient.connect(wsUri(), Map.of(), List.of()));
        assertRefused(401, () -> WsClient.connect(wsUri(), Map.of("Authorization", "Bearer nonsense"), List.of()));
        assertRefused(401, () -> WsClient.connect(wsUri(), Map.of("Authorization", "Basic YTpi"), List.of()));
    }

    @Test
    void aReplacedOrRevokedTokenIsRefused() {
        long uid = TestUsers.newUid();
        var first = users.login(uid, "phone");
        users.login(uid, "phone");
        assertRefused(401, () -> users.connect(first));
        var other = users.login(uid, "tablet");
        users.revoke(other, "kicked");
        assertRefused(401, () -> users.connect(other));
    }

    @Test
    void browsersFromOriginsOutsideTheAllowListAre403() {
        var device = users.login(TestUsers.newUid(), "browser");
        Map<String, String> evil = Map.of("Authorization", "Bearer " + device.token(), "Origin", "https://evil.example");
        assertRefused(403, () -> WsClient.connect(wsUri(), evil, List.of()));
        Map<String, String> good = Map.of("Authorization", "Bearer " + device.token(), "Origin", "https://chat.example");
        track(WsClient.connect(wsUri(), good, List.of())).assertAlive();
    }

    @Test
    void connectionsPerUserAreCapped() {
        long uid = TestUsers.newUid();
        for (int i = 0; i < 10; i++) {
            connect(users.login(uid, "device-" + i)).assertAlive();
        }
        assertRefused(429, () -> users.connect(users.login(uid, "device-10")));
    }

    private static void assertRefused(int status, Runnable connect) {
        WsClient.HandshakeRefused refused = assertThrows(WsClient.HandshakeRefused.class, connect::run);
        assertEquals(status, refused.status);
    }
}

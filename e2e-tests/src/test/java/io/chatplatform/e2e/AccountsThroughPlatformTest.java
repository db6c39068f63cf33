package io.chatplatform.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.localstack.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Accounts and group roles across the packaged services: auth ends sessions and chat closes their sockets with 4001
 * (password change, disable, deletion); the group rules auth mirrors are what chat enforces; every group change is a
 * SYSTEM message; a dissolved group stays readable in history.
 */
class AccountsThroughPlatformTest {

    private static final AtomicInteger IDS = new AtomicInteger();
    private final Platform platform = Platform.get();

    @Test
    void aPasswordChangeClosesTheOtherDevicesSocketsAndDisablingOrDeletingClosesAll() {
        Client alice = Client.register(platform, "pwalice").login("laptop");
        Client alicePhone = Client.existing(platform, alice.username, alice.password).login("phone");
        try (WsClient laptop = alice.connect(); WsClient phone = alicePhone.connect()) {
            assertEquals(204, alice.auth("PUT", "/auth/me/password",
                    Map.of("current", alice.password, "password", "a new password 123")).status());
            assertEquals(4001, phone.awaitClose(Duration.ofSeconds(10)));
            laptop.assertAlive();
        }

        Client bob = Client.register(platform, "banbob").login("phone");
        Client admin = Client.existing(platform, platform.adminUser, platform.adminPassword).login("admin-console");
        try (WsClient socket = bob.connect()) {
            assertEquals(200, admin.auth("PUT", "/auth/users/" + bob.uid + "/disabled", Map.of("disabled", true)).status());
            assertEquals(4001, socket.awaitClose(Duration.ofSeconds(10)));
        }
        assertEquals(403, Client.existing(platform, bob.username, bob.password).auth("POST", "/auth/login",
                Map.of("username", bob.username, "password", bob.password)).status());

        Client carol = Client.register(platform, "delcarol").login("phone");
        try (WsClient socket = carol.connect()) {
            assertEquals(204, carol.auth("DELETE", "/auth/me", Map.of("password", carol.password)).status());
            assertEquals(4001, socket.awaitClose(Duration.ofSeconds(10)));
        }
        assertEquals("Deleted user", admin.auth("GET", "/auth/users/" + carol.uid, null).json().get("displayName").asText());
    }

    @Test
    void groupRolesDecideWhoSendsAndEveryChangeIsASystemMessage() throws Exception {
        Client owner = Client.register(platform, "gowner").login("d");
        Client admin = Client.register(platform, "gadmin").login("d");
        Client member = Client.register(platform, "gmember").login("d");
        long gid = owner.auth("POST", "/groups", Map.of("name", "roles", "members", List.of(admin.uid, member.uid)))
                .json().get("id").asLong();
        String conv = "g." + gid;
        try (WsClient ownerSocket = owner.connect(); WsClient adminSocket = admin.connect(); WsClient memberSocket = member.connect()) {
            assertEquals(200, owner.auth("PUT", "/groups/" + gid + "/members/" + admin.uid + "/role", Map.of("role", "admin")).status());
            assertEquals(200, admin.auth("PUT", "/groups/" + gid, Map.of("onlyAdminsSend", true)).status());
            JsonNode notice = awaitSystem(memberSocket, conv, "allowed only the owner and admins");
            assertEquals(admin.uid, notice.get("from").asLong());

            assertEquals("FORBIDDEN", send(memberSocket, conv).path("code").asText());
            assertEquals("ack", send(adminSocket, conv).path("type").asText());

            assertEquals(204, owner.auth("DELETE", "/groups/" + gid, null).status());
            awaitSystem(memberSocket, conv, "dissolved the group");
            assertEquals("FORBIDDEN", send(ownerSocket, conv).path("code").asText());
            assertEquals(409, admin.auth("PUT", "/groups/" + gid, Map.of("name", "again")).status());

            // the history stays readable by the former members, the SYSTEM lines included
            JsonNode page = eventually(() -> member.history("/history/conversations/" + conv + "/messages"),
                    p -> p.get("items").size() >= 5);
            String bodies = page.get("items").toString();
            assertTrue(bodies.contains("made") && bodies.contains("dissolved the group"), bodies);
            assertFalse(member.history("/history/conversations/" + conv + "/messages").status() == 404);
        }
    }

    private static JsonNode send(WsClient socket, String conv) {
        String id = "s" + IDS.incrementAndGet();
        socket.send(Map.of("type", "send", "id", id, "cid", id, "to", conv, "kind", "text", "body", "hello " + id));
        return socket.awaitReply(id);
    }

    private static JsonNode awaitSystem(WsClient socket, String conv, String text) {
        return socket.await(f -> "message".equals(f.path("type").asText()) && conv.equals(f.path("conv").asText())
                && "SYSTEM".equals(f.path("senderType").asText()) && f.path("body").asText().contains(text),
                Duration.ofSeconds(15));
    }

    private static JsonNode eventually(java.util.function.Supplier<Client.Response> call,
            java.util.function.Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Client.Response response = call.get();
            if (response.status() == 200) {
                last = response.json();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within 15 s: " + last);
    }
}

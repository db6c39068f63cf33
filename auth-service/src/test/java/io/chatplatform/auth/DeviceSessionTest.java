package io.chatplatform.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@QuarkusTest
@Tag("cluster")
class DeviceSessionTest {

    @Inject
    RedisDataSource redis;

    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private PubSubCommands.RedisSubscriber subscriber;

    @BeforeEach
    void listenToAuthEvents() {
        ObjectMapper json = new ObjectMapper();
        subscriber = redis.pubsub(String.class).subscribe("auth:events", message -> {
            try {
                events.add(json.readTree(message));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stopListening() {
        subscriber.unsubscribe();
    }

    @Test
    void aNewLoginOnTheSameDeviceKillsTheOldTokenOnlyThere() throws Exception {
        Api.Account alice = Api.newAccount("multi", "phone");
        String laptop = Api.login(alice.username(), "laptop");
        String phone2 = Api.login(alice.username(), "phone");

        Api.as(alice.token()).get("/auth/me").then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
        Api.as(phone2).get("/auth/me").then().statusCode(200);
        Api.as(laptop).get("/auth/me").then().statusCode(200);

        JsonNode event = nextEventFor(alice.id());
        assertEquals("session.revoked", event.get("type").asText());
        assertEquals("phone", event.get("did").asText());
        assertEquals(Api.claims(alice.token()).get("jti").asText(), event.get("jti").asText());
        assertEquals("replaced", event.get("reason").asText());
    }

    @Test
    void logoutEndsOnlyTheCallingDevice() throws Exception {
        Api.Account bob = Api.newAccount("logout", "web");
        String phone = Api.login(bob.username(), "phone");
        Api.as(bob.token()).post("/auth/logout").then().statusCode(204);
        Api.as(bob.token()).get("/auth/me").then().statusCode(401);
        Api.as(bob.token()).post("/auth/logout").then().statusCode(401);
        Api.as(phone).get("/auth/me").then().statusCode(200);
        assertEquals("logout", nextEventFor(bob.id()).get("reason").asText());
    }

    @Test
    void listAndKickMyDevices() throws Exception {
        Api.Account carol = Api.newAccount("kick", "desktop");
        String phone = Api.login(carol.username(), "phone");
        Api.as(carol.token()).get("/auth/sessions").then().statusCode(200)
                .body("$", hasSize(2))
                .body("deviceId", hasItems("desktop", "phone"))
                .body("find { it.deviceId == 'desktop' }.current", equalTo(true))
                .body("find { it.deviceId == 'phone' }.current", equalTo(false));

        Api.as(carol.token()).delete("/auth/sessions/phone").then().statusCode(204);
        Api.as(phone).get("/auth/me").then().statusCode(401);
        Api.as(carol.token()).get("/auth/me").then().statusCode(200);
        JsonNode event = nextEventFor(carol.id());
        assertEquals("kicked", event.get("reason").asText());
        assertEquals("phone", event.get("did").asText());

        Api.as(carol.token()).delete("/auth/sessions/phone").then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        Api.as(carol.token()).get("/auth/sessions").then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void aUserCannotKickAnotherUsersDevice() {
        Api.Account dave = Api.newAccount("dave", "phone");
        Api.Account eve = Api.newAccount("eve", "phone");
        // same device name, but only eve's own sessions are reachable from her token
        Api.as(eve.token()).delete("/auth/sessions/phone").then().statusCode(204);
        Api.as(dave.token()).get("/auth/me").then().statusCode(200);
        Api.as(eve.token()).get("/auth/me").then().statusCode(401);
    }

    @Test
    void sessionEndpointsNeedAToken() {
        Api.json().get("/auth/sessions").then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
        Api.json().delete("/auth/sessions/x").then().statusCode(401);
        Api.json().post("/auth/logout").then().statusCode(401);
        Api.json().get("/auth/me").then().statusCode(401);
    }

    private JsonNode nextEventFor(long uid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode event = events.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && event.get("uid").asLong() == uid) {
                return event;
            }
        }
        throw new AssertionError("no auth:events message for user " + uid);
    }
}

package io.chatplatform.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.chatplatform.common.session.PushKeys;
import io.chatplatform.common.session.SessionKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** PUT/DELETE /auth/sessions/current/push: validation, the webhook allowlist, and the registration ends with the session. */
@QuarkusTest
@Tag("cluster")
class PushRegistrationTest {

    @Inject
    RedisDataSource redis;

    @Test
    void registrationLivesInTheDeviceSessionAndEndsWithIt() {
        Api.Account alice = Api.newAccount("push", "phone");
        String laptop = Api.login(alice.username(), "laptop");

        register(alice.token(), "fcm", "fcm-token:abc_123").statusCode(200).body("provider", equalTo("fcm"));
        assertEquals("fcm", meta(alice.id(), "phone").get(PushKeys.PROVIDER_FIELD));
        assertEquals("fcm-token:abc_123", meta(alice.id(), "phone").get(PushKeys.TOKEN_FIELD));
        register(laptop, "webhook", "http://127.0.0.1:9999/hook").statusCode(200);
        register(laptop, "apns", "AB".repeat(32)).statusCode(200).body("token", equalTo("ab".repeat(32)));
        assertEquals("apns", meta(alice.id(), "laptop").get(PushKeys.PROVIDER_FIELD));

        // DELETE removes only this device's registration, the session stays
        Api.as(laptop).delete("/auth/sessions/current/push").then().statusCode(204);
        assertNull(meta(alice.id(), "laptop").get(PushKeys.PROVIDER_FIELD));
        assertEquals("fcm", meta(alice.id(), "phone").get(PushKeys.PROVIDER_FIELD));
        Api.as(laptop).get("/auth/me").then().statusCode(200);

        // kicking the device (any end of the session) removes its registration
        Api.as(laptop).delete("/auth/sessions/phone").then().statusCode(204);
        assertNull(meta(alice.id(), "phone").get(PushKeys.PROVIDER_FIELD));

        // logging in again on a device starts without a registration
        register(laptop, "fcm", "t1").statusCode(200);
        String laptop2 = Api.login(alice.username(), "laptop");
        assertNull(meta(alice.id(), "laptop").get(PushKeys.PROVIDER_FIELD));
        register(laptop, "fcm", "t2").statusCode(401);

        // logout
        register(laptop2, "fcm", "t3").statusCode(200);
        Api.as(laptop2).post("/auth/logout").then().statusCode(204);
        assertNull(meta(alice.id(), "laptop").get(PushKeys.TOKEN_FIELD));
    }

    @Test
    void badInputIsRefusedWith400AndWebhooksMustMatchTheAllowlist() {
        Api.Account bob = Api.newAccount("push", "phone");
        String t = bob.token();
        register(t, "sms", "x").statusCode(400).body("error", equalTo("INVALID_FIELD"));
        register(t, "fcm", "has space").statusCode(400);
        register(t, "apns", "not-hex").statusCode(400);
        Api.as(t).contentType("application/json").body("{}").put("/auth/sessions/current/push").then().statusCode(400);
        for (String url : new String[] {"http://169.254.169.254/latest", "http://localhost/x", "ftp://127.0.0.1/x",
                "http://user:pw@127.0.0.1/x", "http://evilhooks.example.com/x", "http://hooks.example.com/x", "not a url",
                "http://127.0.0.1.attacker.net/x"}) {
            register(t, "webhook", url).statusCode(400);
        }
        register(t, "webhook", "https://a.hooks.example.com/x?k=1").statusCode(200);
        register(t, "webhook", "http://127.0.0.1:8080/hook").statusCode(200);
        Api.json().contentType("application/json").body("{\"provider\":\"fcm\",\"token\":\"t\"}")
                .put("/auth/sessions/current/push").then().statusCode(401);
        assertEquals("http://127.0.0.1:8080/hook", meta(bob.id(), "phone").get(PushKeys.TOKEN_FIELD));
    }

    private Map<String, String> meta(long uid, String device) {
        return redis.hash(String.class).hgetall(SessionKeys.sessionMeta(uid, device));
    }

    private static io.restassured.response.ValidatableResponse register(String token, String provider, String value) {
        return Api.as(token).contentType("application/json")
                .body(Map.of("provider", provider, "token", value)).put("/auth/sessions/current/push").then();
    }
}

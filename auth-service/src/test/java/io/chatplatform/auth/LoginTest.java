package io.chatplatform.auth;

import static io.chatplatform.auth.Api.json;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@QuarkusTest
@Tag("cluster")
class LoginTest {

    @Test
    void loginReturnsASignedAccessTokenWithTheDesignClaims() {
        String name = Api.uniqueName("login");
        long id = Api.register(name);
        Response response = json().body(Map.of("username", name, "password", Api.PASSWORD, "deviceId", "phone-1"))
                .post("/auth/login");
        response.then().statusCode(200)
                .body("userId", equalTo((int) id))
                .body("deviceId", equalTo("phone-1"))
                .body("tokenType", equalTo("Bearer"))
                .body("expiresAt", notNullValue());
        String token = response.jsonPath().getString("accessToken");

        JsonNode header = Api.header(token);
        assertEquals("RS256", header.get("alg").asText());
        assertTrue(header.hasNonNull("kid"));
        JsonNode claims = Api.claims(token);
        assertEquals("https://chat.local/auth", claims.get("iss").asText());
        assertEquals("chat-platform", claims.get("aud").isArray() ? claims.get("aud").get(0).asText() : claims.get("aud").asText());
        assertEquals(String.valueOf(id), claims.get("sub").asText());
        assertEquals(name, claims.get("upn").asText());
        assertEquals("USER", claims.get("groups").get(0).asText());
        assertEquals("phone-1", claims.get("did").asText());
        assertTrue(claims.get("jti").asText().length() >= 22, "jti carries 128+ random bits");
        long iat = claims.get("iat").asLong();
        long exp = claims.get("exp").asLong();
        assertEquals(15 * 60, exp - iat, "access tokens live 15 minutes by default (refresh tokens renew them)");
        assertEquals(Instant.parse(response.jsonPath().getString("expiresAt")).getEpochSecond(), exp);

        Api.as(token).get("/auth/me").then().statusCode(200)
                .body("id", equalTo((int) id)).body("username", equalTo(name)).body("role", equalTo("USER"));
    }

    @Test
    void theDeviceComesFromTheBodyThenTheHeaderThenTheUserAgent() {
        String name = Api.uniqueName("dev");
        Api.register(name);
        json().header("X-Device-Id", "tablet:7").body(Map.of("username", name, "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(200).body("deviceId", equalTo("tablet:7"));

        String firefox = json().header("User-Agent", "Firefox/130").body(Map.of("username", name, "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(200).extract().jsonPath().getString("deviceId");
        String again = json().header("User-Agent", "Firefox/130").body(Map.of("username", name, "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(200).extract().jsonPath().getString("deviceId");
        String chrome = json().header("User-Agent", "Chrome/140").body(Map.of("username", name, "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(200).extract().jsonPath().getString("deviceId");
        assertTrue(firefox.startsWith("ua-"));
        assertEquals(firefox, again, "one token per user agent");
        assertNotEquals(firefox, chrome);

        json().header("X-Device-Id", "bad device!").body(Map.of("username", name, "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
    }

    @Test
    void wrongPasswordAndUnknownUserAreTheSame401() {
        String name = Api.uniqueName("wrong");
        Api.register(name);
        json().body(Map.of("username", name, "password", "not the password"))
                .post("/auth/login").then().statusCode(401).body("error", equalTo("INVALID_CREDENTIALS"));
        json().body(Map.of("username", Api.uniqueName("ghost"), "password", "whatever123"))
                .post("/auth/login").then().statusCode(401).body("error", equalTo("INVALID_CREDENTIALS"));
        json().body(Map.of("username", name)).post("/auth/login").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
    }

    @Test
    void anAttackerLocksOnlyTheirOwnAddressOutOfAnAccount() {
        String name = Api.uniqueName("brute");
        Api.register(name);
        String attacker = Api.randomAddress();
        for (int i = 0; i < 5; i++) {
            from(attacker).body(Map.of("username", name, "password", "guess-" + i)).post("/auth/login").then().statusCode(401);
        }
        // that (username, address) pair is locked for the window, even with the right password
        Response limited = from(attacker).body(Map.of("username", name, "password", Api.PASSWORD)).post("/auth/login");
        limited.then().statusCode(429).body("error", equalTo("RATE_LIMITED"));
        assertTrue(Integer.parseInt(limited.getHeader("Retry-After")) > 0);
        // the owner, from an address never seen before, is not
        from(Api.randomAddress()).body(Map.of("username", name, "password", Api.PASSWORD)).post("/auth/login")
                .then().statusCode(200);
    }

    /** %test per-user-unknown-addresses = 12. */
    @Test
    void aDistributedGuesserIsCappedWhileTheOwnerKeepsLoggingInFromHome() {
        String name = Api.uniqueName("botnet");
        Api.register(name);
        String home = Api.randomAddress();
        from(home).body(Map.of("username", name, "password", Api.PASSWORD)).post("/auth/login").then().statusCode(200);
        for (int i = 0; i < 12; i++) {
            from(Api.randomAddress()).body(Map.of("username", name, "password", "guess-" + i)).post("/auth/login")
                    .then().statusCode(401);
        }
        // a 13th guess from yet another address is not even checked
        from(Api.randomAddress()).body(Map.of("username", name, "password", "guess-13")).post("/auth/login")
                .then().statusCode(429).body("error", equalTo("RATE_LIMITED")).header("Retry-After", notNullValue());
        // the owner's own address still works
        from(home).body(Map.of("username", name, "password", Api.PASSWORD)).post("/auth/login").then().statusCode(200);
    }

    @Test
    void failedLoginsAreLimitedPerClientAddress() {
        String address = Api.randomAddress();
        for (int i = 0; i < 20; i++) {
            io.restassured.RestAssured.given().contentType("application/json").header("X-Forwarded-For", address)
                    .body(Map.of("username", Api.uniqueName("spray"), "password", "guess-guess"))
                    .post("/auth/login").then().statusCode(401);
        }
        String name = Api.uniqueName("victim");
        Api.register(name);
        io.restassured.RestAssured.given().contentType("application/json").header("X-Forwarded-For", address)
                .body(Map.of("username", name, "password", Api.PASSWORD))
                .post("/auth/login").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("RATE_LIMITED"));
        // another address is not affected
        json().body(Map.of("username", name, "password", Api.PASSWORD)).post("/auth/login").then().statusCode(200);
    }

    @Test
    void aSuccessfulLoginResetsTheCounterOfItsAddress() {
        String name = Api.uniqueName("reset");
        Api.register(name);
        String address = Api.randomAddress();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                from(address).body(Map.of("username", name, "password", "nope-nope")).post("/auth/login").then().statusCode(401);
            }
            from(address).body(Map.of("username", name, "password", Api.PASSWORD)).post("/auth/login").then().statusCode(200)
                    .body("userId", greaterThan(0));
        }
    }

    private static io.restassured.specification.RequestSpecification from(String address) {
        return io.restassured.RestAssured.given().contentType("application/json").header("X-Forwarded-For", address);
    }
}

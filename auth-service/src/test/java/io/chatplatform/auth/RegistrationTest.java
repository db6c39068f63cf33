package io.chatplatform.auth;

import static io.chatplatform.auth.Api.json;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class RegistrationTest {

    /** Default auth.register-limit: 10 per address per minute. */
    @Test
    void theEleventhRegistrationFromOneAddressWithinAMinuteIs429() {
        String address = Api.randomAddress();
        for (int i = 0; i < 10; i++) {
            from(address).body(Map.of("username", Api.uniqueName("flood"), "password", Api.PASSWORD))
                    .post("/auth/register").then().statusCode(201);
        }
        var refused = from(address).body(Map.of("username", Api.uniqueName("flood"), "password", Api.PASSWORD))
                .post("/auth/register");
        refused.then().statusCode(429).contentType("application/json").body("error", equalTo("RATE_LIMITED"))
                .body("message", notNullValue());
        int retryAfter = Integer.parseInt(refused.getHeader("Retry-After"));
        org.junit.jupiter.api.Assertions.assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        // another address registers fine
        from(Api.randomAddress()).body(Map.of("username", Api.uniqueName("other"), "password", Api.PASSWORD))
                .post("/auth/register").then().statusCode(201);
    }

    /** One IPv6 /64 is one subscriber: its addresses share the limit. */
    @Test
    void theAddressesOfOneIpv6NetworkShareTheLimit() {
        String network = "2001:db8:" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 0xffff)) + ":7:";
        for (int i = 1; i <= 10; i++) {
            from(network + ":" + Integer.toHexString(i)).body(Map.of("username", Api.uniqueName("v6"), "password", "x"))
                    .post("/auth/register").then().statusCode(400);
        }
        from(network + "abcd:1:2:3").body(Map.of("username", Api.uniqueName("v6"), "password", Api.PASSWORD))
                .post("/auth/register").then().statusCode(429).body("error", equalTo("RATE_LIMITED"));
    }

    private static io.restassured.specification.RequestSpecification from(String address) {
        return io.restassured.RestAssured.given().contentType("application/json").header("X-Forwarded-For", address);
    }

    @Test
    void registersAUserWithoutEverReturningThePassword() {
        String name = Api.uniqueName("reg");
        json().body(Map.of("username", name, "password", Api.PASSWORD, "displayName", "Réka K."))
                .post("/auth/register")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("username", equalTo(name))
                .body("displayName", equalTo("Réka K."))
                .body("role", equalTo("USER"))
                .body("$", not(hasKey("password")))
                .body("$", not(hasKey("passwordHash")));
    }

    @Test
    void displayNameDefaultsToTheUsername() {
        String name = Api.uniqueName("plain");
        json().body(Map.of("username", name, "password", Api.PASSWORD))
                .post("/auth/register").then().statusCode(201).body("displayName", equalTo(name));
    }

    @Test
    void aTakenUsernameIsAConflictRegardlessOfCase() {
        String name = Api.uniqueName("dup");
        Api.register(name);
        json().body(Map.of("username", name, "password", Api.PASSWORD))
                .post("/auth/register").then().statusCode(409).body("error", equalTo("USERNAME_TAKEN"));
        json().body(Map.of("username", name.toUpperCase(), "password", Api.PASSWORD))
                .post("/auth/register").then().statusCode(409).body("error", equalTo("USERNAME_TAKEN"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "this-name-is-far-too-long-for-us-0", "has space", "semi;colon", "ünïcode", ""})
    void badUsernamesAre400WithTheJsonErrorBody(String username) {
        json().body(Map.of("username", username, "password", Api.PASSWORD))
                .post("/auth/register").then().statusCode(400)
                .body("error", equalTo("INVALID_FIELD"))
                .body("message", notNullValue());
    }

    @Test
    void shortAndOverlongPasswordsAre400() {
        json().body(Map.of("username", Api.uniqueName("pw"), "password", "short"))
                .post("/auth/register").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        json().body(Map.of("username", Api.uniqueName("pw"), "password", "x".repeat(73)))
                .post("/auth/register").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
    }

    @Test
    void missingFieldsEmptyBodyAndBrokenJsonAre400() {
        json().body(Map.of("password", Api.PASSWORD)).post("/auth/register")
                .then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        json().post("/auth/register").then().statusCode(400).body("error", notNullValue());
        json().body("{\"username\": \"abc\", ").post("/auth/register")
                .then().statusCode(400).body("error", equalTo("BAD_JSON"));
        json().body("[1,2,3]").post("/auth/register")
                .then().statusCode(400).body("error", equalTo("BAD_JSON"));
    }

    @Test
    void controlCharactersInTheDisplayNameAre400() {
        json().body(Map.of("username", Api.uniqueName("ctl"), "password", Api.PASSWORD, "displayName", "bad\u0000name"))
                .post("/auth/register").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
    }

    @Test
    void unknownPathsAndWrongMethodsGetJsonErrors() {
        json().get("/auth/nope").then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        json().get("/auth/register").then().statusCode(405).body("error", equalTo("METHOD_NOT_ALLOWED"));
        io.restassured.RestAssured.given().contentType("text/plain").body("hi")
                .post("/auth/register").then().statusCode(415).body("error", notNullValue());
    }
}

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

package io.chatplatform.auth;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Test client for auth-service over real HTTP. Names are unique per call so runs never collide. */
public final class Api {

    public static final String PASSWORD = "correct horse battery";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Api() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A random client address (honoured from the trusted loopback proxy) so tests never share a login limit. */
    public static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    public static RequestSpecification json() {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", randomAddress());
    }

    public static long register(String username) {
        return json().body(Map.of("username", username, "password", PASSWORD))
                .post("/auth/register").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static String login(String username, String deviceId) {
        return login(username, PASSWORD, deviceId);
    }

    public static String login(String username, String password, String deviceId) {
        return json().body(Map.of("username", username, "password", password, "deviceId", deviceId))
                .post("/auth/login").then().statusCode(200).extract().jsonPath().getString("accessToken");
    }

    /** The whole login answer (access and refresh token, expiries). */
    public static io.restassured.path.json.JsonPath loginResponse(String username, String deviceId) {
        return json().body(Map.of("username", username, "password", PASSWORD, "deviceId", deviceId))
                .post("/auth/login").then().statusCode(200).extract().jsonPath();
    }

    /** A fresh user logged in on one device. */
    public static Account newAccount(String prefix, String deviceId) {
        String name = uniqueName(prefix);
        long id = register(name);
        return new Account(id, name, login(name, deviceId));
    }

    public static RequestSpecification as(String token) {
        return json().auth().oauth2(token);
    }

    public static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode header(String jwt) {
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Account(long id, String username, String token) {
    }
}

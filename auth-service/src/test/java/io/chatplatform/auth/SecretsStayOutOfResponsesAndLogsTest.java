package io.chatplatform.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SecretsStayOutOfResponsesAndLogsTest {

    @Test
    void passwordsAndTicketsNeverAppearInResponsesOrTheLog() throws Exception {
        String password = "Zebra-" + Api.uniqueName("secret");
        String name = Api.uniqueName("leak");
        List<String> bodies = new ArrayList<>();
        bodies.add(Api.json().body(Map.of("username", name, "password", password)).post("/auth/register")
                .then().statusCode(201).extract().asString());
        var login = Api.json().body(Map.of("username", name, "password", password, "deviceId", "d1")).post("/auth/login")
                .then().statusCode(200).extract();
        bodies.add(login.asString());
        String token = login.path("accessToken");
        bodies.add(Api.as(token).get("/auth/me").then().statusCode(200).extract().asString());
        bodies.add(Api.json().body(Map.of("username", name, "password", password + "x")).post("/auth/login")
                .then().statusCode(401).extract().asString());
        // a request the server cannot parse must not echo the password either
        bodies.add(Api.json().body("{\"username\":\"" + name + "\",\"password\":\"" + password + "\",").post("/auth/login")
                .then().statusCode(400).extract().asString());
        String ticket = Api.as(token).post("/auth/ws-ticket").then().statusCode(200).extract().path("ticket");
        String refreshToken = login.path("refreshToken");
        String nextRefreshToken = Api.json().body(Map.of("refreshToken", refreshToken)).post("/auth/refresh")
                .then().statusCode(200).extract().path("refreshToken");
        bodies.add(Api.as(token).body(Map.of("current", password + "x", "password", "whatever-new-1")).put("/auth/me/password")
                .then().statusCode(403).extract().asString());

        for (String body : bodies) {
            assertFalse(body.contains(password), body);
            assertFalse(body.contains("$2a$") || body.contains("$2y$") || body.contains("$2b$"), "no hash in " + body);
        }
        String log = Files.readString(Path.of("target/auth-service-test.log"));
        assertTrue(log.contains("auth-service"), "the test log is being written");
        assertFalse(log.contains(password), "password in the log");
        assertFalse(log.contains(ticket), "ticket in the log");
        assertFalse(log.contains(token), "token in the log");
        assertFalse(log.contains(refreshToken) || log.contains(nextRefreshToken), "refresh token in the log");
    }
}

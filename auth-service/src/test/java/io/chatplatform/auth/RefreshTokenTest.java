package io.chatplatform.auth;

import static io.chatplatform.auth.Api.json;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.auth.refresh.RefreshTokenCleanup;
import io.chatplatform.auth.refresh.RefreshTokens;
import io.chatplatform.localstack.StoresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Refresh tokens over real HTTP, MySQL and Redis: rotation, reuse detection, a Redis wipe, logout, clean-up. */
@QuarkusTest
@Tag("cluster")
class RefreshTokenTest {

    @Inject
    RefreshTokenCleanup cleanup;

    @Inject
    RefreshTokens tokens;

    @Test
    void eachRefreshRotatesTheTokenAndKeepsTheDeviceSession() {
        String name = Api.uniqueName("refr");
        long id = Api.register(name);
        JsonPath login = Api.loginResponse(name, "phone");
        String first = login.getString("refreshToken");
        assertTrue(first.length() >= 43, "256 random bits");
        assertEquals(Duration.ofDays(30).toSeconds(),
                Duration.between(Instant.now(), Instant.parse(login.getString("refreshExpiresAt"))).toSeconds(), 5);

        JsonPath refreshed = refresh(first).then().statusCode(200)
                .body("userId", equalTo((int) id)).body("deviceId", equalTo("phone"))
                .body("expiresAt", notNullValue()).extract().jsonPath();
        String second = refreshed.getString("refreshToken");
        assertNotEquals(first, second);
        assertEquals(Api.claims(login.getString("accessToken")).get("jti").asText(),
                Api.claims(refreshed.getString("accessToken")).get("jti").asText(), "the device session stays the same");
        Api.as(refreshed.getString("accessToken")).get("/auth/me").then().statusCode(200).body("username", equalTo(name));
        String third = refresh(second).then().statusCode(200).extract().path("refreshToken");
        assertNotEquals(second, third);

        assertEquals(1, rows("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = " + id + " AND used_at IS NULL"),
                "one usable token per device");
        assertEquals(0, rows("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = '" + third + "'"), "stored hashed");
    }

    @Test
    void presentingAnAlreadyUsedTokenEndsThatDevicesSessionOnly() {
        String name = Api.uniqueName("theft");
        Api.register(name);
        JsonPath phone = Api.loginResponse(name, "phone");
        JsonPath laptop = Api.loginResponse(name, "laptop");
        String stolen = phone.getString("refreshToken");
        JsonPath owner = refresh(stolen).then().statusCode(200).extract().jsonPath();

        refresh(stolen).then().statusCode(401).body("error", equalTo("REFRESH_TOKEN_REUSED"));

        Api.as(owner.getString("accessToken")).get("/auth/me").then().statusCode(401);
        refresh(owner.getString("refreshToken")).then().statusCode(401).body("error", equalTo("INVALID_REFRESH_TOKEN"));
        Api.as(laptop.getString("accessToken")).get("/auth/me").then().statusCode(200);
        refresh(laptop.getString("refreshToken")).then().statusCode(200);
    }

    @Test
    void aRefreshAfterRedisLostEverySessionRecreatesTheDeviceSession() {
        String name = Api.uniqueName("wipe");
        Api.register(name);
        JsonPath login = Api.loginResponse(name, "tablet");
        StoresTestResource.flushRedis();
        Api.as(login.getString("accessToken")).get("/auth/me").then().statusCode(401);

        JsonPath refreshed = refresh(login.getString("refreshToken")).then().statusCode(200).extract().jsonPath();
        Api.as(refreshed.getString("accessToken")).get("/auth/me").then().statusCode(200).body("username", equalTo(name));
        Api.as(refreshed.getString("accessToken")).get("/auth/sessions").then().statusCode(200)
                .body("[0].deviceId", equalTo("tablet")).body("[0].current", equalTo(true));
    }

    @Test
    void logoutAndKickEndTheRefreshTokensOfThatDevice() {
        String name = Api.uniqueName("rlogout");
        Api.register(name);
        JsonPath web = Api.loginResponse(name, "web");
        JsonPath phone = Api.loginResponse(name, "phone");
        Api.as(web.getString("accessToken")).post("/auth/logout").then().statusCode(204);
        refresh(web.getString("refreshToken")).then().statusCode(401).body("error", equalTo("INVALID_REFRESH_TOKEN"));

        // after a Redis loss the kick still ends the refresh token (the session itself is already gone)
        StoresTestResource.flushRedis();
        JsonPath other = Api.loginResponse(name, "laptop");
        Api.as(other.getString("accessToken")).delete("/auth/sessions/phone").then().statusCode(204);
        refresh(phone.getString("refreshToken")).then().statusCode(401);
        // a new login on the same device replaces the device's refresh token
        JsonPath again = Api.loginResponse(name, "laptop");
        refresh(other.getString("refreshToken")).then().statusCode(401);
        refresh(again.getString("refreshToken")).then().statusCode(200);
    }

    @Test
    void unknownExpiredAndMissingTokensAreRefusedAndExpiredOnesAreCleanedUp() throws Exception {
        refresh("not-a-token-anybody-has").then().statusCode(401).body("error", equalTo("INVALID_REFRESH_TOKEN"));
        json().body(Map.of()).post("/auth/refresh").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));

        String name = Api.uniqueName("rexp");
        long id = Api.register(name);
        String token = Api.loginResponse(name, "old").getString("refreshToken");
        try (Connection db = Mirrors.mysql(); Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE refresh_tokens SET expires_at = NOW(3) - INTERVAL 1 DAY WHERE user_id = " + id);
        }
        assertTrue(cleanup.run() >= 1);
        assertEquals(0, rows("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = " + id));
        refresh(token).then().statusCode(401).body("error", equalTo("INVALID_REFRESH_TOKEN"));
    }

    /** Logins of one user on many devices at the same moment (bcrypt is behind them; here they start together). */
    @Test
    void simultaneousLoginsOfOneUserOnManyDevicesAllGetTheirToken() throws Exception {
        String name = Api.uniqueName("rpar");
        long id = Api.register(name);
        Api.loginResponse(name, "first");
        int devices = 48;
        CyclicBarrier start = new CyclicBarrier(devices);
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        try {
            List<Future<RefreshTokens.Issued>> issued = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                String device = "par" + i;
                issued.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return tokens.issue(id, device, "jti-" + device, "test", "127.0.0.1");
                }));
            }
            for (Future<RefreshTokens.Issued> f : issued) {
                f.get(60, TimeUnit.SECONDS); // a deadlock victim throws here
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(devices + 1, rows("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = " + id + " AND used_at IS NULL"),
                "one usable token per device");
    }

    static io.restassured.response.Response refresh(String token) {
        return json().body(Map.of("refreshToken", token)).post("/auth/refresh");
    }

    private static long rows(String query) {
        try (Connection db = Mirrors.mysql(); Statement sql = db.createStatement(); ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.chatplatform.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chatplatform.localstack.StoresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped for real (every embedded process ends): login and authenticated calls answer 503 JSON with
 * Retry-After, never 500 and never 401 (which would sign web users out); once Redis is back everything works again.
 */
@QuarkusTest
@Tag("cluster")
class RedisOutageTest {

    @AfterEach
    void redisBack() {
        StoresTestResource.startRedis();
    }

    @Test
    void withoutRedisLoginAndAuthenticatedCallsAnswer503AndRecoverAfterwards() {
        Api.Account alice = Api.newAccount("outage", "phone");
        long bob = Api.register(Api.uniqueName("obob"));
        int gid = Api.as(alice.token()).body(Map.of("name", "before", "members", List.of(bob))).post("/groups")
                .then().statusCode(201).extract().path("id");
        String refreshToken = Api.loginResponse(alice.username(), "tablet").getString("refreshToken");
        assumeTrue(StoresTestResource.stopRedis(), "Redis is a real server the tests do not own");

        // a refresh cannot re-create the device session without Redis: 503, and the token is not used up
        RefreshTokenTest.refresh(refreshToken).then().statusCode(503)
                .header("Retry-After", notNullValue()).body("error", equalTo("UNAVAILABLE"));
        Api.json().body(Map.of("username", alice.username(), "password", Api.PASSWORD, "deviceId", "laptop"))
                .post("/auth/login").then().statusCode(503)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("UNAVAILABLE")).body("message", notNullValue());
        Api.as(alice.token()).get("/auth/me").then().statusCode(503)
                .header("Retry-After", notNullValue()).body("error", equalTo("UNAVAILABLE"));
        Api.as(alice.token()).body(Map.of("name", "during")).post("/groups").then().statusCode(503);
        // a wrong password is not counted without Redis either: still 503, not 401
        Api.json().body(Map.of("username", alice.username(), "password", "wrong password!", "deviceId", "x"))
                .post("/auth/login").then().statusCode(503);

        assumeTrue(StoresTestResource.startRedis());
        // sessions lived in Redis: the old token is gone, a new login works at once
        String token = awaitLogin(alice.username());
        Api.as(token).get("/auth/me").then().statusCode(200).body("username", equalTo(alice.username()));
        Api.as(alice.token()).get("/auth/me").then().statusCode(401);
        // ...and the refresh token refused during the outage brings the tablet back without a password
        String[] refreshed = new String[1];
        Mirrors.await("refresh after Redis is back", Duration.ofSeconds(15), () -> {
            var response = RefreshTokenTest.refresh(refreshToken);
            refreshed[0] = response.statusCode() == 200 ? response.jsonPath().getString("accessToken") : null;
            return refreshed[0] != null;
        });
        Api.as(refreshed[0]).get("/auth/me").then().statusCode(200);
        Mirrors.await("group mirror rebuilt", Duration.ofSeconds(20),
                () -> Mirrors.members(gid).equals(Set.of(alice.id(), bob)));
        Api.as(token).body(Map.of("name", "after")).post("/groups").then().statusCode(201);
        // the rebuild-request subscription came back after the outage
        Mirrors.redis("DEL", "group:{" + gid + "}:members");
        Mirrors.await("rebuild request served after the outage", Duration.ofSeconds(15), () -> {
            Mirrors.redis("PUBLISH", "auth:mirror:rebuild", Integer.toString(gid));
            return Mirrors.members(gid).equals(Set.of(alice.id(), bob));
        });
    }

    @Test
    void aMembershipChangeThatCannotReachRedisChangesNothingAndTheRetryWorks() throws Exception {
        Api.Account owner = Api.newAccount("rown", "d");
        long bob = Api.register(Api.uniqueName("rbob"));
        int gid = Api.as(owner.token()).body(Map.of("name", "retry", "members", List.of(bob))).post("/groups")
                .then().statusCode(201).extract().path("id");
        // a second login now, used after the restart (the first token's session is lost with Redis)
        assumeTrue(StoresTestResource.stopRedis(), "Redis is a real server the tests do not own");
        Api.as(owner.token()).delete("/groups/" + gid + "/members/" + bob).then().statusCode(503)
                .header("Retry-After", notNullValue()).body("error", equalTo("UNAVAILABLE"));
        try (Connection db = Mirrors.mysql(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM group_members WHERE group_id = " + gid)) {
            rows.next();
            assertEquals(2, rows.getInt(1), "the 503 changed nothing in MySQL");
        }
        assumeTrue(StoresTestResource.startRedis());
        String token = awaitLogin(owner.username());
        Api.as(token).delete("/groups/" + gid + "/members/" + bob).then().statusCode(200);
        assertEquals(Set.of(owner.id()), Mirrors.members(gid));
        Mirrors.await("bob's reverse set without the group", Duration.ofSeconds(5),
                () -> !Mirrors.groupsOf(bob).contains((long) gid));
    }

    private static String awaitLogin(String username) {
        String[] token = new String[1];
        Mirrors.await("login after Redis is back", Duration.ofSeconds(15), () -> {
            var response = Api.json().body(Map.of("username", username, "password", Api.PASSWORD, "deviceId", "again"))
                    .post("/auth/login");
            token[0] = response.statusCode() == 200 ? response.jsonPath().getString("accessToken") : null;
            return token[0] != null;
        });
        return token[0];
    }
}

package io.chatplatform.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Profile, password change, account deletion, admin disable, blocks: over real HTTP, MySQL and Redis. */
@QuarkusTest
@Tag("cluster")
class AccountLifecycleTest {

    private static String admin() {
        return Api.login("admin", "admin-test-password", Api.uniqueName("admin-device"));
    }

    @Test
    void theProfileChangesOnlyTheFieldsGivenAndChecksThem() {
        Api.Account me = Api.newAccount("prof", "d");
        Api.as(me.token()).body(Map.of("displayName", "  Ada L.  ")).put("/auth/me").then().statusCode(200)
                .body("displayName", equalTo("Ada L.")).body("avatar", nullValue());
        Api.as(me.token()).body(Map.of("avatar", "m_01HZX-avatar")).put("/auth/me").then().statusCode(200)
                .body("displayName", equalTo("Ada L.")).body("avatar", equalTo("m_01HZX-avatar"));
        Api.as(me.token()).get("/auth/users/" + me.id()).then().body("avatar", equalTo("m_01HZX-avatar"));
        Api.as(me.token()).body(Map.of("avatar", "")).put("/auth/me").then().statusCode(200).body("avatar", nullValue());

        Api.as(me.token()).body(Map.of("avatar", "../../etc/passwd")).put("/auth/me").then().statusCode(400)
                .body("error", equalTo("INVALID_FIELD"));
        Api.as(me.token()).body(Map.of("displayName", "x".repeat(65))).put("/auth/me").then().statusCode(400);
        Api.as(me.token()).body(Map.of()).put("/auth/me").then().statusCode(400);
        Api.json().body(Map.of("displayName", "anon")).put("/auth/me").then().statusCode(401);
    }

    @Test
    void aPasswordChangeEndsEveryOtherDeviceAndKeepsThisOne() {
        String name = Api.uniqueName("pw");
        Api.register(name);
        JsonPath here = Api.loginResponse(name, "laptop");
        JsonPath phone = Api.loginResponse(name, "phone");
        String newPassword = "a brand new password";

        Api.as(here.getString("accessToken")).body(Map.of("current", "wrong password", "password", newPassword))
                .put("/auth/me/password").then().statusCode(403).body("error", equalTo("WRONG_PASSWORD"));
        Api.as(here.getString("accessToken")).body(Map.of("current", Api.PASSWORD, "password", "short"))
                .put("/auth/me/password").then().statusCode(400);
        Api.as(here.getString("accessToken")).body(Map.of("current", Api.PASSWORD, "password", newPassword))
                .put("/auth/me/password").then().statusCode(204);

        Api.as(phone.getString("accessToken")).get("/auth/me").then().statusCode(401);
        RefreshTokenTest.refresh(phone.getString("refreshToken")).then().statusCode(401);
        Api.as(here.getString("accessToken")).get("/auth/me").then().statusCode(200);
        RefreshTokenTest.refresh(here.getString("refreshToken")).then().statusCode(200);
        Api.json().body(Map.of("username", name, "password", Api.PASSWORD, "deviceId", "x")).post("/auth/login")
                .then().statusCode(401);
        Api.login(name, newPassword, "x");
    }

    @Test
    void aDeletedAccountIsErasedSignedOutAndItsNameStaysTaken() {
        String name = Api.uniqueName("gone");
        long id = Api.register(name);
        JsonPath login = Api.loginResponse(name, "d");
        String token = login.getString("accessToken");
        long other = Api.register(Api.uniqueName("other"));
        Api.as(token).put("/auth/blocks/" + other).then().statusCode(204);
        Api.as(token).body(Map.of("displayName", "Real Name", "avatar", "abc")).put("/auth/me").then().statusCode(200);
        Api.Account groupOwner = Api.newAccount("gowner", "d");
        int gid = Api.as(groupOwner.token()).body(Map.of("name", "with the leaver", "members", java.util.List.of(id)))
                .post("/groups").then().statusCode(201).extract().path("id");
        Api.as(token).body(Map.of("password", "not my password")).delete("/auth/me").then().statusCode(403);

        Api.as(token).body(Map.of("password", Api.PASSWORD)).delete("/auth/me").then().statusCode(204);

        Api.as(token).get("/auth/me").then().statusCode(401);
        RefreshTokenTest.refresh(login.getString("refreshToken")).then().statusCode(401);
        Api.json().body(Map.of("username", name, "password", Api.PASSWORD)).post("/auth/login").then().statusCode(401)
                .body("error", equalTo("INVALID_CREDENTIALS"));
        String viewer = Api.newAccount("viewer", "v").token();
        Api.as(viewer).get("/auth/users/" + id).then().statusCode(200)
                .body("displayName", equalTo("Deleted user")).body("avatar", nullValue())
                .body("deleted", equalTo(true)).body("username", equalTo(name));
        Api.json().body(Map.of("username", name.toUpperCase(), "password", Api.PASSWORD)).post("/auth/register")
                .then().statusCode(409);
        assertEquals(Set.of(0L), Mirrors.longs(Mirrors.redis("SMEMBERS", "user:{" + id + "}:blocks")),
                "the blocks went with the profile");
        assertEquals(Set.of(groupOwner.id()), Mirrors.members(gid), "the account left the groups it did not own");
    }

    @Test
    void aDisabledAccountIsSignedOutAndRefusedUntilEnabledAgain() {
        String name = Api.uniqueName("ban");
        long id = Api.register(name);
        JsonPath login = Api.loginResponse(name, "d");
        String admin = admin();

        Api.as(login.getString("accessToken")).body(Map.of("disabled", true)).put("/auth/users/" + id + "/disabled")
                .then().statusCode(403);
        Api.as(admin).body(Map.of("disabled", true)).put("/auth/users/" + id + "/disabled").then().statusCode(200)
                .body("disabled", equalTo(true));

        Api.as(login.getString("accessToken")).get("/auth/me").then().statusCode(401);
        RefreshTokenTest.refresh(login.getString("refreshToken")).then().statusCode(401);
        Api.json().body(Map.of("username", name, "password", Api.PASSWORD)).post("/auth/login").then().statusCode(403)
                .body("error", equalTo("ACCOUNT_DISABLED"));
        Api.json().body(Map.of("username", name, "password", "wrong password")).post("/auth/login").then().statusCode(401);

        Api.as(admin).body(Map.of("disabled", false)).put("/auth/users/" + id + "/disabled").then().statusCode(200)
                .body("disabled", nullValue());
        Api.login(name, "d");
        Api.as(admin).body(Map.of()).put("/auth/users/" + id + "/disabled").then().statusCode(400);
    }

    @Test
    void blocksAreListedMirroredForChatAndRebuiltAfterRedisLostThem() {
        Api.Account me = Api.newAccount("blk", "d");
        Api.Account troll = Api.newAccount("troll", "d");
        Api.as(me.token()).put("/auth/blocks/" + troll.id()).then().statusCode(204);
        Api.as(me.token()).put("/auth/blocks/" + troll.id()).then().statusCode(204);
        Api.as(me.token()).put("/auth/blocks/" + me.id()).then().statusCode(400);
        Api.as(me.token()).put("/auth/blocks/987654321").then().statusCode(404);
        Api.as(me.token()).get("/auth/blocks").then().statusCode(200).body("", hasSize(1))
                .body("[0].userId", equalTo((int) troll.id())).body("[0].username", equalTo(troll.username()));
        assertEquals(Set.of(0L, troll.id()), blocksMirror(me.id()));

        // lost with Redis: chat's request (the rebuild channel) brings it back from MySQL
        Mirrors.redis("DEL", "user:{" + me.id() + "}:blocks");
        Mirrors.await("blocks mirrored on request", Duration.ofSeconds(10), () -> {
            Mirrors.redis("PUBLISH", "auth:mirror:rebuild", "blocks:" + me.id());
            return blocksMirror(me.id()).equals(Set.of(0L, troll.id()));
        });
        // a user who blocked nobody is mirrored on request too: the marker alone
        Mirrors.await("empty blocks mirrored on request", Duration.ofSeconds(10), () -> {
            Mirrors.redis("PUBLISH", "auth:mirror:rebuild", "blocks:" + troll.id());
            return blocksMirror(troll.id()).equals(Set.of(0L));
        });

        Api.as(me.token()).delete("/auth/blocks/" + troll.id()).then().statusCode(204);
        Api.as(me.token()).delete("/auth/blocks/" + troll.id()).then().statusCode(404);
        assertEquals(Set.of(0L), blocksMirror(me.id()));
        Api.as(me.token()).get("/auth/blocks").then().statusCode(200).body("", hasSize(0));
    }

    private static Set<Long> blocksMirror(long uid) {
        return Mirrors.longs(Mirrors.redis("SMEMBERS", "user:{" + uid + "}:blocks"));
    }
}

package io.chatplatform.auth;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@QuarkusTest
@Tag("cluster")
class GroupTest {

    @Inject
    RedisDataSource redis;

    @Test
    void theCreatorOwnsTheGroupAndMembershipIsMirroredToRedis() {
        Api.Account owner = Api.newAccount("owner", "d");
        Api.Account bob = Api.newAccount("bob", "d");
        Api.Account cat = Api.newAccount("cat", "d");

        int gid = Api.as(owner.token()).body(Map.of("name", "Weekend hike", "members", List.of(bob.id(), cat.id())))
                .post("/groups").then().statusCode(201)
                .body("name", equalTo("Weekend hike"))
                .body("owner", equalTo((int) owner.id()))
                .body("members", containsInAnyOrder((int) owner.id(), (int) bob.id(), (int) cat.id()))
                .extract().path("id");
        assertEquals(Set.of(owner.id(), bob.id(), cat.id()), mirrored(gid));
        assertEquals(Set.of((long) gid), groupsOf(cat.id()));

        Api.as(bob.token()).get("/groups/" + gid).then().statusCode(200).body("name", equalTo("Weekend hike"));
        Api.as(bob.token()).get("/groups").then().statusCode(200).body("id", hasItem(gid));
    }

    @Test
    void membersAreManagedByTheOwnerAndAnyMemberMayLeave() {
        Api.Account owner = Api.newAccount("own", "d");
        Api.Account bob = Api.newAccount("bob", "d");
        Api.Account cat = Api.newAccount("cat", "d");
        Api.Account dan = Api.newAccount("dan", "d");
        int gid = Api.as(owner.token()).body(Map.of("name", "team", "members", List.of(bob.id())))
                .post("/groups").then().statusCode(201).extract().path("id");

        Api.as(bob.token()).body(Map.of("members", List.of(cat.id()))).post("/groups/" + gid + "/members")
                .then().statusCode(403).body("error", equalTo("FORBIDDEN"));
        Api.as(owner.token()).body(Map.of("members", List.of(cat.id(), dan.id()))).post("/groups/" + gid + "/members")
                .then().statusCode(200).body("members", containsInAnyOrder((int) owner.id(), (int) bob.id(), (int) cat.id(), (int) dan.id()));
        assertEquals(Set.of(owner.id(), bob.id(), cat.id(), dan.id()), mirrored(gid));

        Api.as(bob.token()).delete("/groups/" + gid + "/members/" + cat.id()).then().statusCode(403);
        Api.as(owner.token()).delete("/groups/" + gid + "/members/" + cat.id()).then().statusCode(200);
        Api.as(dan.token()).delete("/groups/" + gid + "/members/" + dan.id()).then().statusCode(200);
        Api.as(owner.token()).delete("/groups/" + gid + "/members/" + owner.id()).then().statusCode(409).body("error", equalTo("CONFLICT"));
        assertEquals(Set.of(owner.id(), bob.id()), mirrored(gid));
        assertTrue(groupsOf(bob.id()).contains((long) gid), "reverse mirror keeps bob");
        assertFalse(groupsOf(cat.id()).contains((long) gid), "reverse mirror dropped cat");
        assertFalse(groupsOf(dan.id()).contains((long) gid), "reverse mirror dropped dan");

        Api.as(cat.token()).get("/groups/" + gid).then().statusCode(404);
        Api.as(owner.token()).delete("/groups/" + gid + "/members/" + cat.id()).then().statusCode(404);
        Api.as(owner.token()).get("/groups/" + gid).then().statusCode(200).body("members", contains((int) owner.id(), (int) bob.id()));
    }

    @Test
    void outsidersCannotTellAGroupExists() {
        Api.Account owner = Api.newAccount("own", "d");
        Api.Account outsider = Api.newAccount("out", "d");
        int gid = Api.as(owner.token()).body(Map.of("name", "secret")).post("/groups").then().statusCode(201).extract().path("id");
        Api.as(outsider.token()).get("/groups/" + gid).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        Api.as(outsider.token()).get("/groups/999999999").then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        Api.as(outsider.token()).body(Map.of("members", List.of(outsider.id()))).post("/groups/" + gid + "/members")
                .then().statusCode(404);
        Api.json().get("/groups/" + gid).then().statusCode(401);
    }

    @Test
    void badGroupRequestsAre400() {
        Api.Account owner = Api.newAccount("bad", "d");
        Api.as(owner.token()).body(Map.of("name", "")).post("/groups").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        Api.as(owner.token()).body(Map.of("name", "x".repeat(65))).post("/groups").then().statusCode(400);
        Api.as(owner.token()).body(Map.of("name", "ghosts", "members", List.of(987654321L))).post("/groups")
                .then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        Api.as(owner.token()).body("{\"name\":\"x\",\"members\":\"not-a-list\"}").post("/groups")
                .then().statusCode(400).body("error", equalTo("BAD_JSON"));
        int gid = Api.as(owner.token()).body(Map.of("name", "ok")).post("/groups").then().statusCode(201).extract().path("id");
        Api.as(owner.token()).body(Map.of("members", List.of())).post("/groups/" + gid + "/members")
                .then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
    }

    @Test
    void theRetryOfARemovalHealsAMirrorThatStillListsTheMember() throws Exception {
        Api.Account owner = Api.newAccount("heal", "d");
        Api.Account bob = Api.newAccount("hbob", "d");
        int gid = Api.as(owner.token()).body(Map.of("name", "heal", "members", List.of(bob.id()))).post("/groups")
                .then().statusCode(201).extract().path("id");
        // the removal reached MySQL but not the mirror (e.g. its answer and mirror write were lost)
        try (java.sql.Connection db = Mirrors.mysql(); java.sql.Statement sql = db.createStatement()) {
            sql.executeUpdate("DELETE FROM group_members WHERE group_id = " + gid + " AND user_id = " + bob.id());
        }
        assertEquals(Set.of(owner.id(), bob.id()), mirrored(gid), "stale mirror");

        Api.as(owner.token()).delete("/groups/" + gid + "/members/" + bob.id()).then().statusCode(404)
                .body("error", equalTo("NOT_FOUND"));
        assertEquals(Set.of(owner.id()), mirrored(gid), "the retry rewrote the mirror from MySQL");
        assertFalse(groupsOf(bob.id()).contains((long) gid));

        // the same when bob retries leaving himself (he can no longer see the group)
        redis.set(String.class).sadd("group:{" + gid + "}:members", String.valueOf(bob.id()));
        Api.as(bob.token()).delete("/groups/" + gid + "/members/" + bob.id()).then().statusCode(404);
        assertEquals(Set.of(owner.id()), mirrored(gid));
    }

    @Test
    void theRetryOfAnAddHealsTheMirror() {
        Api.Account owner = Api.newAccount("hadd", "d");
        long bob = Api.register(Api.uniqueName("habob"));
        int gid = Api.as(owner.token()).body(Map.of("name", "heal", "members", List.of(bob))).post("/groups")
                .then().statusCode(201).extract().path("id");
        redis.key().del("group:{" + gid + "}:members"); // one key per command: other slots on a cluster
        redis.key().del("user:{" + bob + "}:groups");
        Api.as(owner.token()).body(Map.of("members", List.of(bob))).post("/groups/" + gid + "/members")
                .then().statusCode(200);
        assertEquals(Set.of(owner.id(), bob), mirrored(gid));
        assertEquals(Set.of((long) gid), groupsOf(bob));
    }

    private Set<Long> groupsOf(long uid) {
        return redis.set(String.class).smembers("user:{" + uid + "}:groups").stream().map(Long::valueOf)
                .collect(Collectors.toSet());
    }

    private Set<Long> mirrored(int gid) {
        return redis.set(String.class).smembers("group:{" + gid + "}:members").stream().map(Long::valueOf)
                .collect(Collectors.toSet());
    }
}

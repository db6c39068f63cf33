package io.chatplatform.auth;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Group roles and settings over real HTTP, MySQL and Redis: who may add, remove, promote, rename, hand over and
 * dissolve; the mirrors chat reads ({@code group:{gid}:admins}, {@code group:{gid}:settings}); a notice on
 * {@code chat:group-notices} for every change.
 */
@QuarkusTest
@Tag("cluster")
class GroupRoleTest {

    @Test
    void ownerAdminsAndMembersEachMayDoTheirShare() {
        Api.Account owner = Api.newAccount("gown", "d");
        Api.Account admin = Api.newAccount("gadm", "d");
        Api.Account member = Api.newAccount("gmem", "d");
        Api.Account other = Api.newAccount("goth", "d");
        Api.Account late = Api.newAccount("glate", "d");
        int gid = Api.as(owner.token()).body(Map.of("name", "roles", "members", List.of(admin.id(), member.id())))
                .post("/groups").then().statusCode(201).extract().path("id");
        String path = "/groups/" + gid;
        assertEquals(Set.of(owner.id()), Mirrors.longs(Mirrors.redis("SMEMBERS", "group:{" + gid + "}:admins")));

        // only the owner promotes
        Api.as(member.token()).body(Map.of("role", "admin")).put(path + "/members/" + admin.id() + "/role").then().statusCode(403);
        Api.as(owner.token()).body(Map.of("role", "owner")).put(path + "/members/" + admin.id() + "/role").then().statusCode(400);
        Api.as(owner.token()).body(Map.of("role", "admin")).put(path + "/members/" + other.id() + "/role").then().statusCode(404);
        Api.as(owner.token()).body(Map.of("role", "admin")).put(path + "/members/" + admin.id() + "/role").then().statusCode(200)
                .body("admins", contains((int) admin.id()));
        Api.as(admin.token()).body(Map.of("role", "admin")).put(path + "/members/" + member.id() + "/role").then().statusCode(403);
        assertEquals(Set.of(owner.id(), admin.id()), Mirrors.longs(Mirrors.redis("SMEMBERS", "group:{" + gid + "}:admins")));

        // owner and admins add members and change settings; plain members do not
        Api.as(member.token()).body(Map.of("members", List.of(other.id()))).post(path + "/members").then().statusCode(403);
        Api.as(admin.token()).body(Map.of("members", List.of(other.id()))).post(path + "/members").then().statusCode(200);
        Api.as(member.token()).body(Map.of("name", "mine now")).put(path).then().statusCode(403);
        Api.as(admin.token()).body(Map.of("name", "Renamed", "announcement", "Be kind", "onlyAdminsSend", true)).put(path)
                .then().statusCode(200).body("name", equalTo("Renamed")).body("announcement", equalTo("Be kind"))
                .body("onlyAdminsSend", equalTo(true));
        assertEquals("1", Mirrors.redis("HGET", "group:{" + gid + "}:settings", "onlyAdminsSend").toString());
        Api.as(admin.token()).body(Map.of("announcement", "")).put(path).then().statusCode(200).body("announcement", nullValue());
        Api.as(admin.token()).body(Map.of()).put(path).then().statusCode(400);
        Api.as(admin.token()).body(Map.of("name", " ")).put(path).then().statusCode(400);

        // admins remove plain members, not admins; the owner removes admins
        Api.as(member.token()).delete(path + "/members/" + other.id()).then().statusCode(403);
        Api.as(admin.token()).delete(path + "/members/" + other.id()).then().statusCode(200);
        Api.as(owner.token()).body(Map.of("role", "admin")).put(path + "/members/" + member.id() + "/role").then().statusCode(200);
        Api.as(admin.token()).delete(path + "/members/" + member.id()).then().statusCode(403);
        Api.as(owner.token()).delete(path + "/members/" + member.id()).then().statusCode(200).body("admins", contains((int) admin.id()));
        assertEquals(Set.of(owner.id(), admin.id()), Mirrors.longs(Mirrors.redis("SMEMBERS", "group:{" + gid + "}:admins")));

        // hand over: only the owner; the new owner must be a member; the old owner stays an admin
        Api.as(admin.token()).body(Map.of("uid", admin.id())).post(path + "/owner").then().statusCode(403);
        Api.as(owner.token()).body(Map.of("uid", late.id())).post(path + "/owner").then().statusCode(400);
        Api.as(owner.token()).body(Map.of("uid", admin.id())).post(path + "/owner").then().statusCode(200)
                .body("owner", equalTo((int) admin.id())).body("admins", contains((int) owner.id()));
        Api.as(owner.token()).delete(path).then().statusCode(403);
        Api.as(owner.token()).delete(path + "/members/" + owner.id()).then().statusCode(200); // a former owner may leave

        // dissolve: the owner only; afterwards readable, never changeable
        Api.as(admin.token()).body(Map.of("members", List.of(late.id()))).post(path + "/members").then().statusCode(200);
        Api.as(late.token()).delete(path).then().statusCode(403);
        Api.as(admin.token()).delete(path).then().statusCode(204);
        Api.as(admin.token()).delete(path).then().statusCode(204);
        Api.as(late.token()).get(path).then().statusCode(200).body("dissolved", equalTo(true));
        Api.as(admin.token()).body(Map.of("name", "again")).put(path).then().statusCode(409).body("error", equalTo("GROUP_DISSOLVED"));
        Api.as(admin.token()).body(Map.of("members", List.of(other.id()))).post(path + "/members").then().statusCode(409);
        assertEquals("1", Mirrors.redis("HGET", "group:{" + gid + "}:settings", "dissolved").toString());
        assertEquals(Set.of(admin.id(), late.id()), Mirrors.members(gid), "former members keep reading the history");

        List<String> actions = new ArrayList<>();
        for (String notice : notices(gid)) {
            actions.add(notice.replaceAll(".*\"action\":\"([^\"]+)\".*", "$1"));
        }
        assertEquals(List.of("created", "role", "members-added", "renamed", "announcement", "only-admins-send",
                "announcement", "member-removed", "role", "member-removed", "owner", "member-left", "members-added",
                "dissolved"), actions);
    }

    @Test
    void theRolesAndSettingsAreRebuiltWithTheMembersAfterRedisLostThem() {
        Api.Account owner = Api.newAccount("rown", "d");
        Api.Account admin = Api.newAccount("radm", "d");
        int gid = Api.as(owner.token()).body(Map.of("name", "rebuilt", "members", List.of(admin.id())))
                .post("/groups").then().statusCode(201).extract().path("id");
        Api.as(owner.token()).body(Map.of("role", "admin")).put("/groups/" + gid + "/members/" + admin.id() + "/role")
                .then().statusCode(200);
        Api.as(owner.token()).body(Map.of("onlyAdminsSend", true)).put("/groups/" + gid).then().statusCode(200);
        Mirrors.redis("DEL", "group:{" + gid + "}:members", "group:{" + gid + "}:admins", "group:{" + gid + "}:settings");
        Mirrors.await("mirrors rebuilt on request", Duration.ofSeconds(10), () -> {
            Mirrors.redis("PUBLISH", "auth:mirror:rebuild", Integer.toString(gid));
            return Mirrors.members(gid).equals(Set.of(owner.id(), admin.id()));
        });
        assertEquals(Set.of(owner.id(), admin.id()), Mirrors.longs(Mirrors.redis("SMEMBERS", "group:{" + gid + "}:admins")));
        assertEquals("1", Mirrors.redis("HGET", "group:{" + gid + "}:settings", "onlyAdminsSend").toString());
        assertTrue(notices(gid).size() >= 3);
    }

    /** The notices of one group on the stream, oldest first. */
    private static List<String> notices(long gid) {
        List<String> mine = new ArrayList<>();
        for (Object entry : (List<?>) Mirrors.redis("XRANGE", "chat:group-notices", "-", "+")) {
            List<?> fields = (List<?>) ((List<?>) entry).get(1);
            String json = fields.get(1).toString();
            if (json.contains("\"gid\":" + gid + ",")) {
                mine.add(json);
            }
        }
        return mine;
    }
}

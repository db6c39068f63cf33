package io.chatplatform.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoleTest {

    /** From %test.auth.admin.* in application.properties: the bootstrapped admin. */
    private static String admin() {
        return Api.login("admin", "admin-test-password", Api.uniqueName("admin-device"));
    }

    @Test
    void theBootstrappedAdminMakesAnAgentAndBack() {
        String admin = admin();
        assertEquals("ADMIN", Api.claims(admin).get("groups").get(0).asText());
        Api.Account user = Api.newAccount("agent", "desk");

        Api.as(admin).body(Map.of("role", "AGENT")).put("/auth/users/" + user.id() + "/role")
                .then().statusCode(200).body("role", equalTo("AGENT")).body("id", equalTo((int) user.id()));
        // the old token carried USER: it ends now, the next login carries AGENT
        Api.as(user.token()).get("/auth/me").then().statusCode(401);
        String agentToken = Api.login(user.username(), "desk");
        assertEquals("AGENT", Api.claims(agentToken).get("groups").get(0).asText());
        Api.as(agentToken).get("/auth/me").then().statusCode(200).body("role", equalTo("AGENT"));

        Api.as(admin).body(Map.of("role", "USER")).put("/auth/users/" + user.id() + "/role").then().statusCode(200);
        Api.as(agentToken).get("/auth/me").then().statusCode(401);
    }

    @Test
    void onlyAdminsChangeRoles() {
        Api.Account user = Api.newAccount("wannabe", "d");
        Api.as(user.token()).body(Map.of("role", "ADMIN")).put("/auth/users/" + user.id() + "/role")
                .then().statusCode(403).body("error", equalTo("FORBIDDEN"));
        Api.json().body(Map.of("role", "ADMIN")).put("/auth/users/" + user.id() + "/role").then().statusCode(401);
    }

    @Test
    void badRoleRequests() {
        String admin = admin();
        Api.Account user = Api.newAccount("target", "d");
        Api.as(admin).body(Map.of("role", "KING")).put("/auth/users/" + user.id() + "/role")
                .then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        Api.as(admin).body(Map.of()).put("/auth/users/" + user.id() + "/role").then().statusCode(400);
        Api.as(admin).body(Map.of("role", "AGENT")).put("/auth/users/987654321/role")
                .then().statusCode(404).body("error", equalTo("NOT_FOUND"));
    }

    @Test
    void usersCanBeLookedUpByName() {
        Api.Account user = Api.newAccount("findme", "d");
        Api.as(user.token()).queryParam("username", user.username()).get("/auth/users")
                .then().statusCode(200).body("id", equalTo((int) user.id()));
        Api.as(user.token()).queryParam("username", Api.uniqueName("nobody")).get("/auth/users").then().statusCode(404);
        Api.as(user.token()).get("/auth/users/" + user.id()).then().statusCode(200).body("username", equalTo(user.username()));
    }
}

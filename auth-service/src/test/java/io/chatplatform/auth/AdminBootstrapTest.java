package io.chatplatform.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chatplatform.auth.user.AdminBootstrap;
import io.chatplatform.auth.user.Role;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The start-up bootstrap ({@link AdminBootstrap#ensure}, what {@code onStart} runs with {@code auth.admin.*}) against the
 * real MySQL; the outcome is read back over HTTP (the role claim of a fresh login).
 */
@QuarkusTest
class AdminBootstrapTest {

    @Inject
    AdminBootstrap bootstrap;

    @Test
    void anAccountThatAlreadyHasTheConfiguredNameIsNeverPromoted() {
        String squatter = Api.uniqueName("ops");
        Api.register(squatter);

        assertEquals(Role.USER, bootstrap.ensure(squatter, "operator-chosen-password"));

        String token = Api.login(squatter, "phone");
        assertEquals("USER", Api.claims(token).get("groups").get(0).asText());
        Api.as(token).get("/auth/me").then().statusCode(200).body("role", org.hamcrest.Matchers.equalTo("USER"));
        // the operator's password did not become the account's either
        Api.json().body(java.util.Map.of("username", squatter, "password", "operator-chosen-password"))
                .post("/auth/login").then().statusCode(401);
    }

    @Test
    void aFreeNameIsCreatedAsAdminAndAnExistingAdminKeepsItsPassword() {
        String name = Api.uniqueName("root");
        assertEquals(Role.ADMIN, bootstrap.ensure(name, "first-password-1"));
        assertEquals("ADMIN", Api.claims(Api.login(name, "first-password-1", "d")).get("groups").get(0).asText());

        assertEquals(Role.ADMIN, bootstrap.ensure(name, "another-password-2"));
        Api.login(name, "first-password-1", "d2");
    }
}

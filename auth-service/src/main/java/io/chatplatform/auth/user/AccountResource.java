package io.chatplatform.auth.user;

import io.chatplatform.auth.limit.ClientAddress;
import io.chatplatform.auth.limit.RegistrationRateLimiter;
import io.chatplatform.auth.session.DeviceSessions;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Registration, the caller's profile, user lookup and (admin) role changes. */
@Path("/auth")
public class AccountResource {

    private final UserAccounts accounts;
    private final DeviceSessions sessions;
    private final RegistrationRateLimiter registrations;
    private final JsonWebToken jwt;

    public AccountResource(UserAccounts accounts, DeviceSessions sessions, RegistrationRateLimiter registrations,
            JsonWebToken jwt) {
        this.accounts = accounts;
        this.registrations = registrations;
        this.sessions = sessions;
        this.jwt = jwt;
    }

    @POST
    @Path("/register")
    public Response register(RegisterRequest request, @Context HttpServerRequest http) {
        registrations.acquire(ClientAddress.of(http));
        if (request == null) {
            throw ApiException.invalid("body {username, password, displayName?} is required");
        }
        String username = AccountRules.username(request.username());
        String password = AccountRules.password(request.password());
        String displayName = AccountRules.displayName(request.displayName(), username);
        User user = accounts.register(username, password, displayName, Role.USER);
        return Response.status(Response.Status.CREATED).entity(UserView.of(user)).build();
    }

    @GET
    @Path("/me")
    @Authenticated
    public UserView me() {
        long uid = AuthenticatedDevice.of(jwt).uid();
        return User.<User>findByIdOptional(uid).map(UserView::of)
                .orElseThrow(() -> ApiException.unauthorized("UNAUTHORIZED", "account no longer exists"));
    }

    /** Look a user up by exact username, e.g. to start a direct chat. */
    @GET
    @Path("/users")
    @Authenticated
    public UserView findByUsername(@QueryParam("username") String username) {
        return User.findByUsername(AccountRules.username(username)).map(UserView::of)
                .orElseThrow(() -> ApiException.notFound("no such user"));
    }

    @GET
    @Path("/users/{id}")
    @Authenticated
    public UserView findById(@PathParam("id") long id) {
        return User.<User>findByIdOptional(id).map(UserView::of).orElseThrow(() -> ApiException.notFound("no such user"));
    }

    /**
     * Admin only. The new role is in tokens from the next login on; the user's current sessions end now
     * so a demoted agent loses agent rights at once.
     */
    @PUT
    @Path("/users/{id}/role")
    @RolesAllowed("ADMIN")
    public UserView changeRole(@PathParam("id") long id, RoleRequest request) {
        if (request == null || request.role() == null) {
            throw ApiException.invalid("body {role: USER|AGENT|ADMIN} is required");
        }
        Role role;
        try {
            role = Role.valueOf(request.role());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("role must be one of USER, AGENT, ADMIN");
        }
        if (id == AuthenticatedDevice.of(jwt).uid() && role != Role.ADMIN) {
            throw ApiException.conflict("an admin cannot demote themselves");
        }
        if (accounts.changeRole(id, role) != role) {
            sessions.closeAll(id, "role-changed");
        }
        return User.<User>findByIdOptional(id).map(UserView::of).orElseThrow(() -> ApiException.notFound("no such user"));
    }

    @RegisterForReflection
    public record RegisterRequest(String username, String password, String displayName) {
        @Override
        public String toString() {
            return "RegisterRequest[username=" + username + "]";
        }
    }

    @RegisterForReflection
    public record RoleRequest(String role) {
    }
}

package io.chatplatform.auth.user;

import io.chatplatform.auth.block.Blocks;
import io.chatplatform.auth.group.ChatGroup;
import io.chatplatform.auth.group.Groups;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.chatplatform.auth.limit.ClientAddress;
import io.chatplatform.auth.session.LoginRateLimiter;
import java.util.Optional;
import jakarta.ws.rs.DELETE;
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
    private final LoginRateLimiter rateLimiter;
    private final Blocks blocks;
    private final Groups groups;

    public AccountResource(UserAccounts accounts, DeviceSessions sessions, RegistrationRateLimiter registrations,
            JsonWebToken jwt, LoginRateLimiter rateLimiter, Blocks blocks, Groups groups) {
        this.accounts = accounts;
        this.groups = groups;
        this.rateLimiter = rateLimiter;
        this.blocks = blocks;
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

    /**
     * My display name and avatar; a field left out stays as it is. The avatar is a media id (history-service's
     * {@code POST /media}); only its shape is checked here ({@link AccountRules#avatar}), {@code ""} removes it.
     */
    @PUT
    @Path("/me")
    @Authenticated
    public UserView updateProfile(ProfileRequest request) {
        if (request == null || (request.displayName() == null && request.avatar() == null)) {
            throw ApiException.invalid("body {displayName?, avatar?} must change at least one field");
        }
        String displayName = request.displayName() == null ? null : AccountRules.displayName(request.displayName(), null);
        return UserView.of(accounts.updateProfile(AuthenticatedDevice.of(jwt).uid(), displayName,
                Optional.ofNullable(request.avatar()).map(AccountRules::avatar)));
    }

    /**
     * A new password, given the current one (wrong: 403 WRONG_PASSWORD, counted like a failed login of this account
     * from this address). Every other device's session and refresh tokens end (their sockets close with 4001); this
     * device stays signed in.
     */
    @PUT
    @Path("/me/password")
    @Authenticated
    public void changePassword(PasswordRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw ApiException.invalid("body {current, password} is required");
        }
        String password = AccountRules.password(request.password());
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        User user = confirmPassword(me.uid(), request.current(), ClientAddress.of(http));
        accounts.changePassword(user.id, password);
        sessions.closeAllExcept(user.id, Optional.of(me.deviceId()), "password-changed");
    }

    /**
     * Deletes my account, given my password: every session ends, the profile is erased (display name "Deleted user",
     * no avatar, no password, no blocks); the id and the username stay reserved, so messages stay attributed and
     * nobody can take the name over.
     */
    @DELETE
    @Path("/me")
    @Authenticated
    public void delete(DeleteRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw ApiException.invalid("body {password} is required");
        }
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        User user = confirmPassword(me.uid(), request.password(), ClientAddress.of(http));
        accounts.erase(user.id);
        blocks.rebuild(user.id);
        // the account leaves the groups it does not own (members see "Deleted user left the group"); groups it owns
        // keep it as their owner until an admin of the platform hands them over or dissolves them
        for (long gid : QuarkusTransaction.requiringNew().call(() -> ChatGroup.ofMember(user.id).stream()
                .filter(g -> g.ownerId != user.id).map(g -> g.id).toList())) {
            groups.removeMember(me, gid, user.id);
        }
        sessions.closeAll(user.id, "account-deleted");
    }

    private User confirmPassword(long uid, String password, String address) {
        User user = User.<User>findByIdOptional(uid)
                .orElseThrow(() -> ApiException.unauthorized("UNAUTHORIZED", "account no longer exists"));
        rateLimiter.checkAllowed(user.username, address);
        if (!accounts.passwordMatches(user, password)) {
            rateLimiter.recordFailure(user.username, address);
            throw new ApiException(403, "WRONG_PASSWORD", "the current password is not right");
        }
        return user;
    }

    /**
     * Admin only: disable (or enable again) an account. Disabling ends every session and refresh token of the user
     * (sockets close with 4001) and refuses their logins (403 ACCOUNT_DISABLED) and refreshes.
     */
    @PUT
    @Path("/users/{id}/disabled")
    @RolesAllowed("ADMIN")
    public UserView setDisabled(@PathParam("id") long id, DisabledRequest request) {
        if (request == null || request.disabled() == null) {
            throw ApiException.invalid("body {disabled: true|false} is required");
        }
        if (id == AuthenticatedDevice.of(jwt).uid() && request.disabled()) {
            throw ApiException.conflict("an admin cannot disable themselves");
        }
        accounts.setDisabled(id, request.disabled());
        if (request.disabled()) {
            // also when it was disabled already: the retry of a request whose session ending failed finishes it
            sessions.closeAll(id, "disabled");
        }
        return User.<User>findByIdOptional(id).map(UserView::of).orElseThrow(() -> ApiException.notFound("no such user"));
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

    @RegisterForReflection
    public record ProfileRequest(String displayName, String avatar) {
    }

    @RegisterForReflection
    public record PasswordRequest(String current, String password) {
        @Override
        public String toString() {
            return "PasswordRequest[...]";
        }
    }

    @RegisterForReflection
    public record DeleteRequest(String password) {
        @Override
        public String toString() {
            return "DeleteRequest[...]";
        }
    }

    @RegisterForReflection
    public record DisabledRequest(Boolean disabled) {
    }
}

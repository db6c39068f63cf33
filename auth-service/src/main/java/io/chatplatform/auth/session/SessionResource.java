package io.chatplatform.auth.session;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.limit.ClientAddress;
import io.chatplatform.auth.refresh.RefreshTokens;
import io.chatplatform.auth.token.AccessTokenIssuer;
import io.chatplatform.auth.user.AccountRules;
import io.chatplatform.auth.user.User;
import io.chatplatform.auth.user.UserAccounts;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Login, logout and the caller's device sessions. */
@Path("/auth")
public class SessionResource {

    private final UserAccounts accounts;
    private final AccessTokenIssuer tokens;
    private final DeviceSessions sessions;
    private final LoginRateLimiter rateLimiter;
    private final AuthConfig config;
    private final JsonWebToken jwt;

    private final RefreshTokens refreshTokens;

    public SessionResource(UserAccounts accounts, AccessTokenIssuer tokens, DeviceSessions sessions,
            LoginRateLimiter rateLimiter, AuthConfig config, JsonWebToken jwt, RefreshTokens refreshTokens) {
        this.jwt = jwt;
        this.refreshTokens = refreshTokens;
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessions = sessions;
        this.rateLimiter = rateLimiter;
        this.config = config;
    }

    @POST
    @Path("/login")
    public LoginResponse login(LoginRequest request, @HeaderParam("X-Device-Id") String deviceHeader,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent, @Context HttpServerRequest http) {
        if (request == null) {
            throw ApiException.invalid("body {username, password, deviceId?} is required");
        }
        String username = AccountRules.username(request.username());
        if (request.password() == null || request.password().isEmpty()) {
            throw ApiException.invalid("password is required");
        }
        String deviceId = DeviceIds.resolve(request.deviceId(), deviceHeader, userAgent);
        String address = ClientAddress.of(http);

        rateLimiter.checkAllowed(username, address);
        Optional<User> user = accounts.authenticate(username, request.password());
        if (user.isEmpty()) {
            rateLimiter.recordFailure(username, address);
            throw ApiException.unauthorized("INVALID_CREDENTIALS", "wrong username or password");
        }
        rateLimiter.recordSuccess(username, address);

        var issued = tokens.issue(user.get(), deviceId);
        // the device session lasts as long as its refresh token may renew it (its access tokens expire on their own)
        sessions.open(user.get(), deviceId, issued.jti(), userAgent, address, config.refresh().lifetime());
        var refresh = refreshTokens.issue(user.get().id, deviceId, issued.jti(), userAgent, address);
        return new LoginResponse(issued.token(), "Bearer", issued.expiresAt(), user.get().id, deviceId, refresh.token(),
                refresh.expiresAt());
    }

    /**
     * A new access token (same device session) for a refresh token, which is used up: the answer carries its successor.
     * A token used before ends the device's session (someone else holds a copy). The device session is re-created in
     * Redis when Redis lost it. Unknown or expired tokens count against the address's failed-login limit.
     */
    @POST
    @Path("/refresh")
    public LoginResponse refresh(RefreshRequest request, @Context HttpServerRequest http) {
        if (request == null || request.refreshToken() == null || request.refreshToken().isBlank()) {
            throw ApiException.invalid("body {refreshToken} is required");
        }
        String address = ClientAddress.of(http);
        rateLimiter.checkAddressAllowed(address);
        User[] user = new User[1];
        RefreshTokens.Rotation rotation = refreshTokens.rotate(request.refreshToken().strip(), stored -> {
            user[0] = User.<User>findByIdOptional(stored.uid()).orElse(null);
            if (user[0] == null || !user[0].active()) {
                return false;
            }
            // Redis first, inside the row lock: when it fails (503) the token stays unused and the client retries
            return sessions.resume(user[0], stored.deviceId(), stored.sessionJti(), stored.userAgent(), stored.ip(),
                    Instant.now(), config.refresh().lifetime());
        });
        switch (rotation.outcome()) {
            case ROTATED -> {
                RefreshTokens.Stored stored = rotation.stored();
                var issued = tokens.issue(user[0], stored.deviceId(), stored.sessionJti());
                return new LoginResponse(issued.token(), "Bearer", issued.expiresAt(), stored.uid(), stored.deviceId(),
                        rotation.next().token(), rotation.next().expiresAt());
            }
            case REUSED -> {
                RefreshTokens.Stored stored = rotation.stored();
                sessions.close(stored.uid(), stored.deviceId(), Optional.empty(), "refresh-token-reused");
                throw ApiException.unauthorized("REFRESH_TOKEN_REUSED",
                        "this refresh token was already used: the device's session has been ended; log in again");
            }
            case REFUSED -> {
                if (user[0] != null && user[0].disabled) {
                    throw UserAccounts.disabled();
                }
                throw ApiException.unauthorized("INVALID_REFRESH_TOKEN", "the session of this refresh token has ended; log in again");
            }
            default -> {
                rateLimiter.recordAddressFailure(address);
                throw ApiException.unauthorized("INVALID_REFRESH_TOKEN", "unknown or expired refresh token; log in again");
            }
        }
    }

    @POST
    @Path("/logout")
    @Authenticated
    public void logout() {
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        sessions.close(me.uid(), me.deviceId(), Optional.of(me.jti()), "logout");
    }

    @GET
    @Path("/sessions")
    @Authenticated
    public List<SessionView> list() {
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        return sessions.list(me.uid()).stream()
                .map(s -> new SessionView(s.deviceId(), s.userAgent(), s.ip(), s.loginAt(), s.deviceId().equals(me.deviceId())))
                .toList();
    }

    @DELETE
    @Path("/sessions/{deviceId}")
    @Authenticated
    public void kick(@PathParam("deviceId") String deviceId) {
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        if (!sessions.close(me.uid(), AccountRules.deviceId(deviceId), Optional.empty(), "kicked")) {
            throw ApiException.notFound("no session on that device");
        }
    }

    @RegisterForReflection
    public record LoginRequest(String username, String password, String deviceId) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + ", deviceId=" + deviceId + "]";
        }
    }

    /** {@code expiresAt}: of the access token; {@code refreshExpiresAt}: of the refresh token (sliding). */
    @RegisterForReflection
    public record LoginResponse(String accessToken, String tokenType, Instant expiresAt, long userId, String deviceId,
            String refreshToken, Instant refreshExpiresAt) {
    }

    @RegisterForReflection
    public record RefreshRequest(String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[...]";
        }
    }

    @RegisterForReflection
    public record SessionView(String deviceId, String userAgent, String ip, Instant loginAt, boolean current) {
    }
}

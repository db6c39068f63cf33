package io.chatplatform.chat.session;

import io.chatplatform.common.session.DevicePrincipal;
import io.chatplatform.common.session.WsTicketRedeemer;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Authenticates the WebSocket upgrade by a one-time ticket ({@code GET /ws?ticket=...}) for browsers, which
 * cannot set headers on a WebSocket. The ticket is consumed here, once; its device session must be current.
 */
@ApplicationScoped
public class TicketAuthenticationMechanism implements HttpAuthenticationMechanism {

    private final WsTicketRedeemer redeemer;

    public TicketAuthenticationMechanism(WsTicketRedeemer redeemer) {
        this.redeemer = redeemer;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String ticket = context.request().getParam("ticket");
        if (ticket == null || !"/ws".equals(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        return redeemer.redeem(ticket).map(redeemed -> {
            var claims = redeemed.orElseThrow(() -> new AuthenticationFailedException("unknown, used or expired ticket"));
            var identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new DevicePrincipal(claims.uid(), claims.username(), claims.deviceId(), claims.jti()));
            if (claims.role() != null) {
                identity.addRole(claims.role());
            }
            return identity.build();
        });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }
}

package io.chatplatform.common.session;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Rejects a signature-valid JWT unless it is an access token whose device session is still current.
 * Runs for every authenticated HTTP request in every service that has chat-common (chat-service's WebSocket
 * upgrade, which is authenticated outside Quarkus security, calls {@link DeviceSessionCheck#verify} itself).
 */
@ApplicationScoped
public class DeviceSessionAugmentor implements SecurityIdentityAugmentor {

    private final DeviceSessionCheck check;

    public DeviceSessionAugmentor(DeviceSessionCheck check) {
        this.check = check;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        return check.verify(jwt).replaceWith(identity);
    }
}

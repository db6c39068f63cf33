package io.chatplatform.chat.session;

import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.common.session.DeviceSessionCheck;
import io.chatplatform.common.session.WsTicketRedeemer;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who opens a {@code /ws} upgrade: a one-time {@code ?ticket=} (browsers), or an access token in {@code Authorization:
 * Bearer} (where the subprotocol convention also puts it). The token is verified as Quarkus would (smallrye-jwt's
 * parser with the {@code mp.jwt.verify.*} settings) plus the device-session check every service runs.
 * <p>
 * This runs outside Quarkus security on purpose: a socket authenticated by Quarkus security keeps its security
 * identity and the whole HTTP upgrade request (routing context, headers, the token) for as long as it is open,
 * several KiB per idle connection; this way an open socket keeps only its {@link AuthenticatedDevice}.
 */
@Singleton
public class UpgradeAuthenticator {

    private static final String BEARER = "Bearer ";

    private final JWTParser tokens;
    private final DeviceSessionCheck sessions;
    private final WsTicketRedeemer tickets;

    public UpgradeAuthenticator(JWTParser tokens, DeviceSessionCheck sessions, WsTicketRedeemer tickets) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.tickets = tickets;
    }

    /** @return the device, or null when the request carries no valid credentials */
    public Uni<AuthenticatedDevice> authenticate(HttpServerRequest request) {
        String ticket = request.getParam("ticket");
        if (ticket != null) {
            return tickets.redeem(ticket).map(redeemed -> redeemed.map(AuthenticatedDevice::of).orElse(null));
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        JsonWebToken jwt;
        try {
            jwt = tokens.parse(authorization.substring(BEARER.length()).trim());
        } catch (ParseException e) {
            return Uni.createFrom().nullItem();
        }
        return sessions.verify(jwt).onFailure(AuthenticationFailedException.class).recoverWithNull();
    }
}

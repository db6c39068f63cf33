package io.chatplatform.auth.ticket;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.common.session.SessionKeys;
import io.chatplatform.common.session.WsTicket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * One-time WebSocket tickets for browsers (which cannot set headers on a WebSocket): opaque, 256 random
 * bits, bound to the caller's device session, short-lived, consumed by the first GETDEL. Never logged.
 */
@Path("/auth/ws-ticket")
public class TicketResource {

    private final SecureRandom random = new SecureRandom();
    private final ValueCommands<String, String> values;
    private final AuthConfig config;
    private final JsonWebToken jwt;

    public TicketResource(RedisDataSource redis, AuthConfig config, JsonWebToken jwt) {
        this.jwt = jwt;
        this.values = redis.value(String.class);
        this.config = config;
    }

    @POST
    @Authenticated
    public TicketResponse issue() {
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        RedisUnavailable.guard("tickets are unavailable for a moment; try again", () -> values.set(
                SessionKeys.ticket(ticket), new WsTicket(me.uid(), me.deviceId(), me.jti()).encode(),
                new SetArgs().px(config.ticketTtl())));
        return new TicketResponse(ticket, config.ticketTtl().toSeconds());
    }

    @RegisterForReflection
    public record TicketResponse(String ticket, long expiresIn) {
    }
}

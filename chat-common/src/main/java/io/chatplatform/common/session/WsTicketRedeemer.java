package io.chatplatform.common.session;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Consumes a one-time WebSocket ticket: GETDEL makes the first use the only use; the device session it
 * was issued for must still be current.
 */
@ApplicationScoped
public class WsTicketRedeemer {

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final DeviceSessionCheck sessions;

    public WsTicketRedeemer(ReactiveRedisDataSource redis, DeviceSessionCheck sessions) {
        this.values = redis.value(String.class);
        this.hashes = redis.hash(String.class);
        this.sessions = sessions;
    }

    public Uni<Optional<WsTicket>> redeem(String ticket) {
        if (ticket == null || ticket.isBlank() || ticket.length() > 128) {
            return Uni.createFrom().item(Optional.empty());
        }
        return values.getdel(SessionKeys.ticket(ticket)).flatMap(value -> {
            if (value == null) {
                return Uni.createFrom().item(Optional.<WsTicket>empty());
            }
            WsTicket claims;
            try {
                claims = WsTicket.decode(value);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(Optional.<WsTicket>empty());
            }
            return sessions.isCurrent(claims.uid(), claims.deviceId(), claims.jti()).flatMap(current -> {
                if (!current) {
                    return Uni.createFrom().item(Optional.<WsTicket>empty());
                }
                return hashes.hmget(SessionKeys.sessionMeta(claims.uid(), claims.deviceId()), "username", "role")
                        .map(meta -> Optional.of(claims.withAccount(meta.get("username"), meta.get("role"))));
            });
        });
    }
}

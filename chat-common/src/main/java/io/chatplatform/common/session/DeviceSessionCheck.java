package io.chatplatform.common.session;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one check every service runs on every authenticated request or connection: the token's jti must
 * still be the registered token of its (user, device), i.e. {@code auth:sess:{uid}[did] == jti}.
 */
@ApplicationScoped
public class DeviceSessionCheck {

    private final ReactiveHashCommands<String, String, String> hashes;

    public DeviceSessionCheck(ReactiveRedisDataSource redis) {
        this.hashes = redis.hash(String.class);
    }

    public Uni<Boolean> isCurrent(long uid, String deviceId, String jti) {
        if (deviceId == null || jti == null) {
            return Uni.createFrom().item(false);
        }
        return hashes.hget(SessionKeys.sessions(uid), deviceId).map(jti::equals);
    }
}

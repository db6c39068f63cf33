package io.chatplatform.chat.message;

import io.chatplatform.chat.config.ChatConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Idempotent send: {@code chat:dedup:{uid}:{cid}} is claimed before a message is sequenced and then holds its
 * ack, so a resend of the same client id gets the first ack and publishes nothing. A claim whose send never
 * completed (crash) expires after {@link #CLAIM_TTL} and the client's next resend goes through.
 */
@ApplicationScoped
public class SendDedup {

    static final String PENDING = "pending";
    private static final Duration CLAIM_TTL = Duration.ofSeconds(30);

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final Duration ttl;

    public SendDedup(ReactiveRedisDataSource redis, ChatConfig config) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.ttl = config.dedupTtl();
    }

    static String key(long uid, String cid) {
        return "chat:dedup:{" + uid + "}:" + cid;
    }

    /** @return null when this send is the first with its cid, else what the first left: PENDING or its ack JSON */
    public Uni<String> claim(long uid, String cid) {
        String key = key(uid, cid);
        // SET NX GET needs Redis 7; two steps keep Redis 6.2 supported and cost a second trip only on resends
        return redis.getRedis().send(Request.cmd(Command.SET).arg(key).arg(PENDING).arg("NX").arg("EX").arg(CLAIM_TTL.toSeconds()))
                .flatMap(claimed -> claimed != null ? Uni.createFrom().nullItem() : values.get(key)
                        .map(previous -> previous == null ? PENDING : previous));
    }

    public Uni<Void> complete(long uid, String cid, String ackJson) {
        return values.set(key(uid, cid), ackJson, new SetArgs().ex(ttl));
    }

    public Uni<Void> release(long uid, String cid) {
        return values.getdel(key(uid, cid)).replaceWithVoid();
    }
}

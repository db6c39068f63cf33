package io.chatplatform.chat.message;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.conversation.ConversationId;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Idempotent send: {@code chat:dedup:{conv}:{uid}:{cid}} is claimed ({@link #PENDING}) in the same script that
 * takes the message's seq (see {@link ConversationCounters#claimThenNextSeq}) and then holds its ack, so a resend
 * of the same client id gets the first ack and publishes nothing. A claim whose send never completed (crash)
 * expires after {@link #CLAIM_TTL} and the client's next resend goes through.
 */
@Singleton
public class SendDedup {

    static final String PENDING = "pending";
    static final Duration CLAIM_TTL = Duration.ofSeconds(30);

    private final ReactiveRedisDataSource redis;
    private final Duration ttl;

    public SendDedup(ReactiveRedisDataSource redis, ChatConfig config) {
        this.redis = redis;
        this.ttl = config.dedupTtl();
    }

    /** Carries the conversation's hash tag so one script can claim it and take the seq (Redis Cluster). */
    static String key(ConversationId conv, long uid, String cid) {
        return "chat:dedup:{" + conv.value() + "}:" + uid + ":" + cid;
    }

    /** Replaces the claim with the ack, kept for the dedup TTL; to be pipelined with the log append. */
    Request complete(String key, String ackJson) {
        return Request.cmd(Command.SET).arg(key).arg(ackJson).arg("EX").arg(ttl.toSeconds());
    }

    Uni<Void> release(String key) {
        return redis.getRedis().send(Request.cmd(Command.DEL).arg(key)).replaceWithVoid();
    }
}

package io.chatplatform.chat.message;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.conversation.ConversationId;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;

/**
 * Idempotent send: {@code chat:dedup:{conv}:{uid}:{cid}} is claimed in the same script that takes the message's seq
 * (see {@link ConversationCounters#claimThenNextSeq}) and holds {@code pending|msgId|ts|seq} until the log append
 * succeeded, then the ack, for the dedup TTL. A resend of the same client id gets the first ack and publishes nothing;
 * a resend that finds the claim still pending (the append failed, its reply was lost, or the instance died) publishes
 * the <em>same</em> message again, same id and seq, which history stores once: so neither a lost reply nor a crash can
 * turn one send into two messages.
 */
@Singleton
public class SendDedup {

    private static final String PENDING = "pending";

    private final Duration ttl;

    public SendDedup(ChatConfig config) {
        this.ttl = config.dedupTtl();
    }

    /** Carries the conversation's hash tag so one script can claim it and take the seq (Redis Cluster). */
    static String key(ConversationId conv, long uid, String cid) {
        return "chat:dedup:{" + conv.value() + "}:" + uid + ":" + cid;
    }

    Duration ttl() {
        return ttl;
    }

    /** The claim value before the script appends {@code |seq}. */
    static String pending(String msgId, long ts) {
        return PENDING + "|" + msgId + "|" + ts;
    }

    /** The pending send a claim describes, or empty when it holds an ack. */
    static Optional<Pending> pendingOf(String claim) {
        if (!claim.startsWith(PENDING + "|")) {
            return Optional.empty();
        }
        String[] parts = claim.split("\\|");
        if (parts.length != 4) {
            return Optional.empty();
        }
        return Optional.of(new Pending(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3])));
    }

    /** Replaces the claim with the ack, kept for the dedup TTL; to be pipelined with the log append. */
    Request complete(String key, String ackJson) {
        return Request.cmd(Command.SET).arg(key).arg(ackJson).arg("EX").arg(ttl.toSeconds());
    }

    /** A claimed send whose log append has not been confirmed. */
    record Pending(String msgId, long ts, long seq) {
    }
}

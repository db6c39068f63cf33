package io.chatplatform.chat.log;

import io.chatplatform.chat.config.ChatConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which incarnation of each log stream this instance last appended to. {@code chat:logepoch:{p}} (same slot as
 * {@code chat:log:{p}}, so it is lost together with the stream) holds a random token set when the stream is (re)created;
 * an append reads it in the same round trip. A token other than the one this instance knows means the stream was lost
 * and recreated since (by another instance, or by a consumer's {@code MKSTREAM}): what this instance appended before
 * may be gone, so it appends it again ({@link LogRecovery}), before trusting the new stream's consumer progress.
 */
@Singleton
public class LogEpochs {

    private final AtomicReferenceArray<String> known;

    public LogEpochs(ChatConfig config) {
        this.known = new AtomicReferenceArray<>(config.log().partitions());
    }

    static String key(int partition) {
        return "chat:logepoch:{" + partition + "}";
    }

    static Request read(int partition) {
        return Request.cmd(Command.GET).arg(key(partition));
    }

    /** Sets a new token unless one is there (SET NX); pipelined with {@link #read}. */
    static Request claim(int partition) {
        return Request.cmd(Command.SET).arg(key(partition)).arg(UUID.randomUUID().toString()).arg("NX");
    }

    /** True when {@code reply} (of {@link #read}) is the incarnation this instance knows. */
    boolean current(int partition, Response reply) {
        String seen = reply == null ? null : reply.toString();
        return seen != null && seen.equals(known.get(partition));
    }

    void remember(int partition, Response reply) {
        known.set(partition, reply == null ? null : reply.toString());
    }
}

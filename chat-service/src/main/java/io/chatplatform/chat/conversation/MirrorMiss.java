package io.chatplatform.chat.conversation;

import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.session.GroupKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A miss in one of auth's Redis mirrors: ask auth to rebuild that entry ({@link GroupKeys#REBUILD_CHANNEL}) and poll
 * the mirror until it answers (the entry is back, or auth marked it absent) or {@link #WAIT} passed: UNAVAILABLE, the
 * client resends.
 */
final class MirrorMiss {

    static final Duration WAIT = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(100);

    private MirrorMiss() {
    }

    /** @param look one read of the mirror: empty while it has no answer yet */
    static <T> Uni<T> ask(RedisPipeline pipeline, String request, Supplier<Uni<Optional<T>>> look, String unavailable) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        return pipeline.send(Request.cmd(Command.PUBLISH).arg(GroupKeys.REBUILD_CHANNEL).arg(request))
                .flatMap(published -> poll(look, deadline, unavailable));
    }

    private static <T> Uni<T> poll(Supplier<Uni<Optional<T>>> look, long deadline, String unavailable) {
        return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).flatMap(waited -> look.get()).flatMap(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found.get());
            }
            if (System.nanoTime() > deadline) {
                return Uni.createFrom().failure(new FrameException(ErrorCode.UNAVAILABLE, unavailable));
            }
            return poll(look, deadline, unavailable);
        });
    }
}

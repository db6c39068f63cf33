package io.chatplatform.chat.conversation;

import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.session.UserKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a user id exists, from the bitmap mirror auth-service keeps in Redis ({@link UserKeys}; MySQL is the truth),
 * so a direct conversation with an id nobody has creates nothing. A missing bit means the user does not exist or Redis
 * lost the mirror: auth is asked ({@link MirrorMiss}) and answers with the bit or an absent marker. An id never stops
 * existing, so confirmed ids are remembered here (at most {@link #MAX_REMEMBERED}; when full the memory starts over).
 */
@Singleton
public class ExistingUsers {

    static final int MAX_REMEMBERED = 100_000;

    private final RedisPipeline pipeline;
    private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
    private final Map<Long, Uni<Boolean>> asking = new ConcurrentHashMap<>();

    public ExistingUsers(RedisPipeline pipeline) {
        this.pipeline = pipeline;
    }

    public Uni<Boolean> exists(long uid) {
        if (uid <= 0) {
            return Uni.createFrom().item(false);
        }
        if (confirmed.contains(uid)) {
            return Uni.createFrom().item(true);
        }
        return look(uid).flatMap(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                : asking.computeIfAbsent(uid, u -> MirrorMiss.ask(pipeline, UserKeys.rebuildRequest(u), () -> look(u),
                                "cannot tell yet whether user " + u + " exists; resend shortly")
                        .onTermination().invoke(() -> asking.remove(u))
                        .memoize().indefinitely()));
    }

    /** The bit and the absent marker: one slot ({bucket}), one round trip. Empty while neither is there. */
    private Uni<Optional<Boolean>> look(long uid) {
        return pipeline.batch(List.of(Request.cmd(Command.GETBIT).arg(UserKeys.exists(uid)).arg(UserKeys.offset(uid)),
                Request.cmd(Command.EXISTS).arg(UserKeys.absent(uid)))).map(replies -> {
                    if (replies.get(0).toInteger() == 1) {
                        remember(uid);
                        return Optional.of(true);
                    }
                    return replies.get(1).toInteger() == 1 ? Optional.of(false) : Optional.empty();
                });
    }

    private void remember(long uid) {
        if (confirmed.size() >= MAX_REMEMBERED) {
            confirmed.clear();
        }
        confirmed.add(uid);
    }
}

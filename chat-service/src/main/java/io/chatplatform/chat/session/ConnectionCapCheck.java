package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A user may hold at most the configured number of connections on this instance. An upgrade takes a slot when it is
 * permitted, before its socket opens, so parallel upgrades are counted atomically; the slot becomes the open
 * connection's when it opens. A permitted upgrade whose socket never opens (the client went away during the
 * handshake) gives its slot back after {@link #RESERVATION_NANOS}.
 */
@Singleton
public class ConnectionCapCheck {

    static final long RESERVATION_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Connections connections;
    private final int max;
    /** Per user: when each permitted upgrade whose socket has not opened yet was permitted (System.nanoTime). */
    private final Map<Long, ArrayDeque<Long>> upgrading = new ConcurrentHashMap<>();

    public ConnectionCapCheck(Connections connections, ChatConfig config) {
        this.connections = connections;
        this.max = config.limits().maxConnectionsPerUser();
    }

    /** @return true, and a slot is taken, when the user may open one more connection */
    boolean tryReserve(long uid) {
        long now = System.nanoTime();
        boolean[] reserved = {false};
        upgrading.compute(uid, (user, pending) -> {
            ArrayDeque<Long> slots = pending == null ? new ArrayDeque<>(2) : pending;
            while (!slots.isEmpty() && now - slots.peekFirst() > RESERVATION_NANOS) {
                slots.pollFirst();
            }
            if (connections.countOfUser(uid) + slots.size() < max) {
                slots.addLast(now);
                reserved[0] = true;
            }
            return slots.isEmpty() ? null : slots;
        });
        return reserved[0];
    }

    /** The user's socket opened (and is counted by {@link Connections}): its reservation is released. */
    void opened(long uid) {
        upgrading.computeIfPresent(uid, (user, slots) -> {
            slots.pollFirst();
            return slots.isEmpty() ? null : slots;
        });
    }
}

package io.chatplatform.auth;

import io.chatplatform.localstack.StoresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Reads the group mirrors straight from the tests' Redis (standalone or cluster) and MySQL, for the mirror tests. */
final class Mirrors {

    private Mirrors() {
    }

    static Set<Long> members(long gid) {
        return longs(StoresTestResource.redisCommand("SMEMBERS", "group:{" + gid + "}:members"));
    }

    static Set<Long> groupsOf(long uid) {
        return longs(StoresTestResource.redisCommand("SMEMBERS", "user:{" + uid + "}:groups"));
    }

    static Object redis(String... command) {
        return StoresTestResource.redisCommand(command);
    }

    static Connection mysql() throws SQLException {
        return DriverManager.getConnection(StoresTestResource.jdbcUrl(), StoresTestResource.jdbcUsername(),
                StoresTestResource.jdbcPassword());
    }

    /** Polls {@code condition} (Redis errors count as "not yet") until it holds; returns the milliseconds it took. */
    static long await(String what, Duration timeout, BooleanSupplier condition) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + (last == null ? "" : " (" + last + ")"));
    }

    static Set<Long> longs(Object reply) {
        return ((List<?>) reply).stream().map(v -> Long.valueOf(v.toString())).collect(Collectors.toSet());
    }
}

package io.chatplatform.bench;

import io.chatplatform.localstack.RespClient;
import io.chatplatform.localstack.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bench users as auth-service would leave them: a signed access token (TestTokens, RS256) per user whose jti is
 * the device's session in Redis ({@code auth:sess:{uid}}), plus the session metadata chat reads.
 */
final class Users {
    record User(long uid, String device, String token) {
    }

    private final List<User> users = new ArrayList<>();
    private final long base;

    Users(long base) {
        this.base = base;
    }

    int size() {
        return users.size();
    }

    User get(int i) {
        return users.get(i);
    }

    List<User> slice(int from, int to) {
        return users.subList(from, to);
    }

    /** Signs tokens up to {@code n} users and registers their sessions; returns the seconds spent signing. */
    double ensure(int n, RespClient redis) throws IOException {
        long t0 = System.nanoTime();
        int start = users.size();
        for (int i = start; i < n; i++) {
            long uid = base + i;
            TestTokens.Issued issued = TestTokens.issue(uid, "bench" + uid, "bench", "USER", java.time.Duration.ofHours(6));
            users.add(new User(uid, "bench", issued.token()));
            redis.queue("HSET", TestTokens.sessionKey(uid), "bench", issued.jti());
            redis.queue("HSET", "auth:sessmeta:{" + uid + "}:bench", "username", "bench" + uid, "role", "USER");
            // the user-id mirror auth keeps: chat refuses direct conversations with ids it does not find there
            // (chat-common's UserKeys: a bitmap per 65,536 ids; the bench does not depend on chat-common)
            redis.queue("SETBIT", "users:{" + uid / 65_536 + "}:exists", Long.toString(uid % 65_536), "1");
            // and the blocks mirror (UserKeys.blocks): member "0" says "mirrored", nobody blocked
            redis.queue("SADD", "user:{" + uid + "}:blocks", "0");
        }
        redis.flush();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Writes tokens [from, to) one per line, for an idle-connection worker process. */
    void writeTokens(Path file, int from, int to) throws IOException {
        List<String> lines = new ArrayList<>();
        for (User u : users.subList(from, to)) {
            lines.add(u.token());
        }
        Files.write(file, lines);
    }

    /** A group: mirrors as auth-service writes them ({@code group:{gid}:members}, {@code user:{uid}:groups}). */
    static void group(RespClient redis, long gid, List<User> members) throws IOException {
        List<String> args = new ArrayList<>(List.of("SADD", "group:{" + gid + "}:members"));
        for (User u : members) {
            args.add(Long.toString(u.uid()));
            redis.queue("SADD", "user:{" + u.uid() + "}:groups", Long.toString(gid));
        }
        redis.queue(args.toArray(String[]::new));
        redis.flush();
    }

    static void ungroup(RespClient redis, long gid, List<User> members) throws IOException {
        redis.queue("DEL", "group:{" + gid + "}:members");
        for (User u : members) {
            redis.queue("SREM", "user:{" + u.uid() + "}:groups", Long.toString(gid));
        }
        redis.flush();
    }
}

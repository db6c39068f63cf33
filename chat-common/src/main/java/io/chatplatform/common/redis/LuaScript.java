package io.chatplatform.common.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA1 ({@code EVALSHA}), so Redis neither receives nor hashes the script text on every
 * call; the first call after a Redis restart or {@code SCRIPT FLUSH} gets {@code NOSCRIPT} and is resent once as
 * {@code EVAL}, which also loads it again.
 */
public final class LuaScript {

    /** Bound of {@link #runAndAwait}: the blocking Redis data source's own default ({@code quarkus.redis.timeout}). */
    private static final Duration BLOCKING_TIMEOUT = Duration.ofSeconds(10);

    private final String text;
    private final String sha1;

    public LuaScript(String text) {
        this.text = text;
        this.sha1 = sha1(text);
    }

    private Request evalsha(List<String> keys, Object... args) {
        return request(Command.EVALSHA, sha1, keys, args);
    }

    private Request eval(List<String> keys, Object... args) {
        return request(Command.EVAL, text, keys, args);
    }

    public Uni<Response> run(Redis redis, List<String> keys, Object... args) {
        return redis.send(evalsha(keys, args))
                .onFailure(LuaScript::isNoScript).recoverWithUni(() -> redis.send(eval(keys, args)));
    }

    /** {@link #run} for callers on a worker thread (blocking); null when the script returns nil. */
    public Response runAndAwait(Redis redis, List<String> keys, Object... args) {
        return run(redis, keys, args).await().atMost(BLOCKING_TIMEOUT);
    }

    /**
     * Runs the script and {@code alongside} in one pipeline (one round trip; split per slot in cluster mode, see
     * {@link RedisPipeline}); the script's reply comes first.
     * The requests alongside are sent again with the {@code EVAL} retry, so they must be safe to repeat.
     */
    public Uni<List<Response>> runInBatch(RedisPipeline pipeline, List<String> keys, List<?> args, List<Request> alongside) {
        Object[] argv = args.toArray();
        return pipeline.batch(withScript(evalsha(keys, argv), alongside))
                .onFailure(LuaScript::isNoScript).recoverWithUni(() -> pipeline.batch(withScript(eval(keys, argv), alongside)));
    }

    private static List<Request> withScript(Request script, List<Request> alongside) {
        List<Request> all = new ArrayList<>(alongside.size() + 1);
        all.add(script);
        all.addAll(alongside);
        return all;
    }

    private static boolean isNoScript(Throwable failure) {
        // a pipeline reports "ERR [i] NOSCRIPT ..."
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }

    private static Request request(Command command, String script, List<String> keys, Object... args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        for (String key : keys) {
            request.arg(key);
        }
        for (Object arg : args) {
            request.arg(String.valueOf(arg));
        }
        return request;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}

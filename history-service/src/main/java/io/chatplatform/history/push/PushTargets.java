package io.chatplatform.history.push;

import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.redis.RedisPipeline;
import io.chatplatform.common.session.PushKeys;
import io.chatplatform.common.session.SessionKeys;
import io.chatplatform.common.session.UserKeys;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a recipient's devices may be woken, from Redis only: {@code user:{uid}:blocks} (auth's block mirror),
 * {@code auth:sess:{uid}} (the device sessions), {@code presence:{uid}} (chat's open connections) and the push fields of
 * each offline device's {@code auth:sessmeta:{uid}:<device>}. All share the {uid} hash tag: two pipelined round trips per
 * recipient, one slot. A presence entry counts only while its chat instance is alive ({@code chat:instance:{id}}).
 */
@ApplicationScoped
public class PushTargets {

    /** KEYS: meta. ARGV: the token to remove. Removes the registration only if it is still that token. */
    private static final LuaScript REMOVE_IF_SAME = new LuaScript("""
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
                return redis.call('HDEL', KEYS[1], ARGV[1], ARGV[3])
            end
            return 0
            """);
    private static final long ALIVE_CACHE_NANOS = Duration.ofSeconds(2).toNanos();

    private final RedisPipeline pipeline;
    private final Map<String, Long> aliveUntil = new ConcurrentHashMap<>();

    public PushTargets(RedisPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** A registered device without an open connection. */
    public record Target(String device, String provider, String token) {
    }

    /** @param blocked the recipient blocked the sender */
    public record Lookup(boolean blocked, List<Target> offline) {
    }

    public Lookup lookup(long uid, long sender) {
        List<Response> first = await(List.of(
                Request.cmd(Command.SISMEMBER).arg(UserKeys.blocks(uid)).arg(String.valueOf(sender)),
                Request.cmd(Command.HKEYS).arg(SessionKeys.sessions(uid)),
                Request.cmd(Command.HGETALL).arg(PushKeys.presence(uid))));
        if (first.get(0) != null && first.get(0).toInteger() == 1) {
            return new Lookup(true, List.of());
        }
        List<String> devices = new ArrayList<>();
        if (first.get(1) != null) {
            for (Response d : first.get(1)) {
                devices.add(d.toString());
            }
        }
        Map<String, String> present = new HashMap<>();
        Response presence = first.get(2);
        if (presence != null) {
            for (String device : presence.getKeys()) {
                present.put(device, presence.get(device).toString());
            }
        }
        List<String> offline = new ArrayList<>();
        for (String device : devices) {
            String instance = present.get(device);
            if (instance == null || !alive(instance)) {
                offline.add(device);
            }
        }
        if (offline.isEmpty()) {
            return new Lookup(false, List.of());
        }
        List<Request> reads = new ArrayList<>(offline.size());
        for (String device : offline) {
            reads.add(Request.cmd(Command.HMGET).arg(SessionKeys.sessionMeta(uid, device))
                    .arg(PushKeys.PROVIDER_FIELD).arg(PushKeys.TOKEN_FIELD));
        }
        List<Response> metas = await(reads);
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < offline.size(); i++) {
            Response m = metas.get(i);
            if (m != null && m.size() == 2 && m.get(0) != null && m.get(1) != null) {
                targets.add(new Target(offline.get(i), m.get(0).toString(), m.get(1).toString()));
            }
        }
        return new Lookup(false, targets);
    }

    /** Claims the (message, device) notification: true exactly once per marker lifetime, however often asked. */
    public boolean claim(long uid, String msgId, String device, Duration ttl) {
        Response r = await(List.of(Request.cmd(Command.SET).arg(sentMarker(uid, msgId, device)).arg("1").arg("NX")
                .arg("EX").arg(Math.max(1, ttl.toSeconds())))).get(0);
        return r != null && "OK".equals(r.toString());
    }

    /** Removes the device's registration if it still holds {@code token} (the provider said it is unregistered). */
    public boolean remove(long uid, String device, String token) {
        Response r = REMOVE_IF_SAME.runAndAwait(pipeline.redis(), List.of(SessionKeys.sessionMeta(uid, device)),
                PushKeys.TOKEN_FIELD, token, PushKeys.PROVIDER_FIELD);
        return r != null && r.toInteger() > 0;
    }

    /** String, expiring: this (message, device) was claimed for sending. */
    public static String sentMarker(long uid, String msgId, String device) {
        return "push:sent:{" + uid + "}:" + msgId + ":" + device;
    }

    private boolean alive(String instance) {
        long now = System.nanoTime();
        if (aliveUntil.getOrDefault(instance, 0L) > now) {
            return true;
        }
        Response r = await(List.of(Request.cmd(Command.EXISTS).arg(PushKeys.chatInstance(instance)))).get(0);
        boolean alive = r != null && r.toInteger() == 1;
        if (alive) {
            aliveUntil.put(instance, now + ALIVE_CACHE_NANOS);
        } else {
            aliveUntil.remove(instance);
        }
        return alive;
    }

    private List<Response> await(List<Request> requests) {
        return pipeline.batch(requests).await().atMost(Duration.ofSeconds(10));
    }
}

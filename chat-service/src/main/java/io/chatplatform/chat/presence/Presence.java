package io.chatplatform.chat.presence;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.redis.RedisPipeline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each connected device is: {@code presence:{uid}} device → instance, expiring unless refreshed, plus a
 * liveness key per instance so entries of a crashed instance are recognised and dropped at once.
 */
@Singleton
public class Presence {

    /** Removes the device's entry only if it still points at this instance (it may have moved). */
    private static final LuaScript REMOVE_IF_MINE = new LuaScript("""
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
            return 0
            """);
    private static final long ALIVE_CACHE_NANOS = Duration.ofSeconds(2).toNanos();

    private final RedisPipeline pipeline;
    private final InstanceId instance;
    private final long ttlSeconds;
    private final Map<String, Long> aliveUntil = new ConcurrentHashMap<>();

    public Presence(RedisPipeline pipeline, InstanceId instance, ChatConfig config) {
        this.pipeline = pipeline;
        this.instance = instance;
        this.ttlSeconds = Math.max(3, config.presence().ttl().toSeconds());
    }

    public Uni<Void> online(long uid, String deviceId) {
        String key = PresenceKeys.presence(uid);
        return pipeline.batch(List.of(
                Request.cmd(Command.HSET).arg(key).arg(deviceId).arg(instance.value()),
                Request.cmd(Command.EXPIRE).arg(key).arg(ttlSeconds))).replaceWithVoid();
    }

    public Uni<Void> offline(long uid, String deviceId) {
        return REMOVE_IF_MINE.run(pipeline.redis(), List.of(PresenceKeys.presence(uid)), deviceId, instance.value())
                .replaceWithVoid();
    }

    /** Re-asserts every local device and this instance's liveness; called every third of the TTL. */
    public Uni<Void> refresh(Map<Long, ? extends Collection<String>> devicesByUser) {
        List<Request> requests = new ArrayList<>();
        requests.add(Request.cmd(Command.SET).arg(PresenceKeys.instance(instance.value())).arg("1").arg("EX").arg(ttlSeconds));
        devicesByUser.forEach((uid, devices) -> {
            String key = PresenceKeys.presence(uid);
            for (String device : devices) {
                requests.add(Request.cmd(Command.HSET).arg(key).arg(device).arg(instance.value()));
            }
            requests.add(Request.cmd(Command.EXPIRE).arg(key).arg(ttlSeconds));
        });
        return pipeline.batch(requests).replaceWithVoid();
    }

    /** For each user, the instances holding at least one of their devices, other than this one. */
    public Uni<Map<String, List<Long>>> remoteInstancesOf(Collection<Long> uids) {
        if (uids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Long> ordered = List.copyOf(uids);
        return pipeline.batch(lookups(ordered)).flatMap(responses -> remoteInstancesOf(ordered, responses));
    }

    /** The reads behind {@link #remoteInstancesOf}, for a caller that pipelines them with its own commands. */
    public List<Request> lookups(List<Long> uids) {
        List<Request> requests = new ArrayList<>(uids.size());
        for (Long uid : uids) {
            requests.add(Request.cmd(Command.HGETALL).arg(PresenceKeys.presence(uid)));
        }
        return requests;
    }

    /** @param responses the replies to {@link #lookups}{@code (uids)}, in order */
    public Uni<Map<String, List<Long>>> remoteInstancesOf(List<Long> uids, List<Response> responses) {
        Map<String, List<Long>> byInstance = new HashMap<>();
        for (int i = 0; i < uids.size(); i++) {
            Response devices = responses.get(i);
            if (devices == null) {
                continue;
            }
            long uid = uids.get(i);
            for (String device : devices.getKeys()) {
                String holder = devices.get(device).toString();
                if (!holder.equals(instance.value())) {
                    List<Long> users = byInstance.computeIfAbsent(holder, h -> new ArrayList<>());
                    if (users.isEmpty() || users.get(users.size() - 1) != uid) {
                        users.add(uid);
                    }
                }
            }
        }
        return byInstance.isEmpty() ? Uni.createFrom().item(byInstance) : dropDead(byInstance);
    }

    /** Drops instances whose liveness key is gone (crashed without cleanup). */
    private Uni<Map<String, List<Long>>> dropDead(Map<String, List<Long>> byInstance) {
        long now = System.nanoTime();
        List<String> unknown = byInstance.keySet().stream()
                .filter(id -> aliveUntil.getOrDefault(id, 0L) < now).toList();
        if (unknown.isEmpty()) {
            return Uni.createFrom().item(byInstance);
        }
        List<Request> checks = unknown.stream()
                .map(id -> Request.cmd(Command.EXISTS).arg(PresenceKeys.instance(id))).toList();
        return pipeline.batch(checks).map(results -> {
            for (int i = 0; i < unknown.size(); i++) {
                if (results.get(i).toInteger() == 1) {
                    aliveUntil.put(unknown.get(i), now + ALIVE_CACHE_NANOS);
                } else {
                    byInstance.remove(unknown.get(i));
                    aliveUntil.remove(unknown.get(i));
                }
            }
            return byInstance;
        });
    }

    public Uni<Void> leave() {
        return pipeline.batch(List.of(Request.cmd(Command.DEL).arg(PresenceKeys.instance(instance.value())),
                Request.cmd(Command.DEL).arg(PresenceKeys.inbox(instance.value())))).replaceWithVoid();
    }
}

package io.chatplatform.common.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.RequestImpl;
import io.vertx.redis.client.impl.ZModem;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Pipelines that Redis Cluster accepts. The Vert.x cluster client refuses a batch whose keys live in more than one
 * hash slot; in cluster mode ({@code quarkus.redis.client-type=cluster}) a batch is split into one batch per slot,
 * sent concurrently over one cluster connection (still one round trip of latency), and the replies are put back in request order. Standalone,
 * a batch goes out as it is. Each request must keep all of its own keys in one slot (scripts: a shared hash tag).
 */
@Singleton
public class RedisPipeline {

    private static final int KEYLESS = -1;

    private final Redis redis;
    private final boolean cluster;

    @Inject
    public RedisPipeline(ReactiveRedisDataSource dataSource,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this(dataSource.getRedis(), "cluster".equalsIgnoreCase(clientType.strip()));
    }

    public RedisPipeline(Redis redis, boolean cluster) {
        this.redis = redis;
        this.cluster = cluster;
    }

    public Redis redis() {
        return redis;
    }

    public boolean cluster() {
        return cluster;
    }

    public Uni<Response> send(Request request) {
        return redis.send(request);
    }

    /** Sends {@code requests} as one pipeline (one per slot in cluster mode); replies in request order. */
    public Uni<List<Response>> batch(List<Request> requests) {
        if (!cluster || requests.size() < 2) {
            return redis.batch(requests);
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            bySlot.computeIfAbsent(slotOf(requests.get(i)), slot -> new ArrayList<>()).add(i);
        }
        if (bySlot.size() == 1) {
            return redis.batch(requests);
        }
        List<List<Integer>> groups = List.copyOf(bySlot.values());
        // one cluster connection (it holds one connection per primary) carries every slot's batch, pipelined
        return redis.connect().flatMap(connection -> {
            List<Uni<List<Response>>> parts = new ArrayList<>(groups.size());
            for (List<Integer> group : groups) {
                List<Request> part = new ArrayList<>(group.size());
                for (int index : group) {
                    part.add(requests.get(index));
                }
                parts.add(connection.batch(part));
            }
            return Uni.join().all(parts).andFailFast().eventually(connection::close);
        }).map(replies -> {
            Response[] ordered = new Response[requests.size()];
            for (int g = 0; g < groups.size(); g++) {
                List<Integer> group = groups.get(g);
                List<Response> reply = replies.get(g);
                for (int j = 0; j < group.size(); j++) {
                    ordered[group.get(j)] = reply.get(j);
                }
            }
            return Arrays.asList(ordered);
        });
    }

    /** The cluster hash slot of the request's first key (Vert.x's own key locator), or -1 for a keyless command. */
    static int slotOf(Request request) {
        List<byte[]> keys = ((RequestImpl) request.getDelegate()).keys();
        return keys.isEmpty() ? KEYLESS : ZModem.generate(keys.get(0));
    }
}

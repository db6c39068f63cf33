package io.chatplatform.auth.redis;

import io.chatplatform.common.redis.RedisPipeline;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Sends many independent single-key requests (bulk mirror rebuilds) as pipelines of bounded size, blocking. In cluster
 * mode {@link RedisPipeline} splits a pipeline into one batch per hash slot, each taking a pooled connection, so a chunk
 * there holds at most {@value #CLUSTER_CHUNK} requests (the pool's waiting queue stays small); standalone, a chunk
 * holds {@value #STANDALONE_CHUNK}.
 *
 * <p>Callers may hold a MySQL transaction (and its row locks) while they wait: the transaction is suspended from this
 * thread while Redis is awaited ({@link #outsideTransaction}), so context propagation never carries it onto Redis' event
 * loop threads (where a cluster client's joined replies would otherwise end its association: the commit then fails).
 */
@Singleton
public class ChunkedPipeline {

    static final int CLUSTER_CHUNK = 16;
    static final int STANDALONE_CHUNK = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RedisPipeline pipeline;

    public ChunkedPipeline(RedisPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Replies in request order; a failed request fails the call (the requests must be safe to repeat). */
    public List<Response> send(List<Request> requests) {
        return outsideTransaction(() -> sendChunks(requests));
    }

    /**
     * Runs a blocking Redis call with the caller's JTA transaction (if any) suspended from the thread; the database
     * transaction itself, and its locks, stay open and are resumed afterwards.
     */
    public static <T> T outsideTransaction(Callable<T> call) {
        return QuarkusTransaction.suspendingExisting().call(call);
    }

    private List<Response> sendChunks(List<Request> requests) {
        int chunk = pipeline.cluster() ? CLUSTER_CHUNK : STANDALONE_CHUNK;
        List<Response> replies = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += chunk) {
            List<Request> part = requests.subList(from, Math.min(requests.size(), from + chunk));
            replies.addAll(pipeline.batch(List.copyOf(part)).await().atMost(TIMEOUT));
        }
        return replies;
    }
}

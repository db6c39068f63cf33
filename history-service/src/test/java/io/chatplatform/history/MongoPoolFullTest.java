package io.chatplatform.history;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MongoDB's connection pool exhausted: 300 page requests at once against a pool of 1 connection that lets a request
 * wait 20 ms: what does not get a connection in time is answered 503 + Retry-After + JSON body, never 500.
 */
@QuarkusTest
@TestProfile(MongoPoolFullTest.OneConnection.class)
class MongoPoolFullTest {

    public static class OneConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mongodb.max-pool-size", "1", "history.store.pool-wait-timeout", "20ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Inject
    Redis raw;

    @Inject
    HistoryCollections store;

    @Test
    void pagesThatFindThePoolFullAre503WithRetryAfterNot500() throws Exception {
        Map<Integer, Integer> counts = PageBurst.send(redis, raw, store, base, 300);
        assertTrue(counts.getOrDefault(503, 0) > 0, "the one-connection pool refuses some: " + counts);
    }
}

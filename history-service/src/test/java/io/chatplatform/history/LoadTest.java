package io.chatplatform.history;

import io.chatplatform.localstack.Burst;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Concurrent load with the production settings (device-session cache 1 s, Redis pool 32/1024): every answer is 2xx or
 * 503 with Retry-After and a JSON body, never 500 (conversation lists and message pages); a revoked session is refused within the cache's bound although its
 * token is hot.
 */
@QuarkusTest
@TestProfile(LoadTest.CacheOn.class)
class LoadTest {

    static final Duration CACHE_TTL = Duration.ofSeconds(1);

    public static class CacheOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("session-check.cache-ttl", CACHE_TTL.toMillis() + "ms");
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
    void threeHundredConcurrentConversationListsAreNever500() throws Exception {
        TestUsers users = new TestUsers(redis);
        long uid = TestLog.newId();
        users.joinGroup(TestLog.newId(), uid);
        TestUsers.User user = users.login(uid);
        Map<Integer, Integer> counts = Burst.send("GET /history/conversations", 300,
                i -> HttpRequest.newBuilder(base.resolve("/history/conversations"))
                        .header("Authorization", "Bearer " + user.token()).timeout(Duration.ofSeconds(60)).GET().build());
        assertTrue(counts.getOrDefault(200, 0) > 0, "some succeed");
    }

    @Test
    void threeHundredConcurrentPagesAreNever500() throws Exception {
        Map<Integer, Integer> counts = PageBurst.send(redis, raw, store, base, 300);
        assertTrue(counts.getOrDefault(200, 0) > 0, "some succeed");
    }

    @Test
    void aRevokedSessionIsRefusedWithinTheCacheBoundWhileItsTokenIsHot() {
        TestUsers users = new TestUsers(redis);
        TestUsers.User user = users.login(TestLog.newId());
        for (int i = 0; i < 5; i++) {
            user.api().get("/history/conversations").then().statusCode(200); // the check is cached now
        }
        long revokedAt = System.nanoTime();
        users.revoke(user);
        long deadline = revokedAt + CACHE_TTL.plusSeconds(1).toNanos();
        int status;
        do {
            status = user.api().get("/history/conversations").then().extract().statusCode();
        } while (status == 200 && System.nanoTime() < deadline);
        long tookMs = (System.nanoTime() - revokedAt) / 1_000_000;
        System.out.printf("revoked session refused after %d ms (cache ttl %d ms)%n", tookMs, CACHE_TTL.toMillis());
        assertEquals(401, status, "refused within ttl + 1 s");
    }
}

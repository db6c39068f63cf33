package io.chatplatform.auth;

import io.chatplatform.localstack.Burst;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.session.SessionKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Concurrent load with the production settings (device-session cache 1 s, Redis pool 16/1024, bcrypt on as many
 * threads as cores): every answer is 2xx or 503 with Retry-After and a JSON body, never 500; and a revoked session is
 * refused within the cache's bound although its token is hot.
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

    @Test
    void threeHundredConcurrentAuthenticatedCallsAreNever500() throws Exception {
        Api.Account alice = Api.newAccount("loadme", "phone");
        Map<Integer, Integer> counts = Burst.send("GET /auth/me", 300, i -> HttpRequest.newBuilder(base.resolve("/auth/me"))
                .header("Authorization", "Bearer " + alice.token()).timeout(Duration.ofSeconds(60)).GET().build());
        assertTrue(counts.getOrDefault(200, 0) > 0, "some succeed");
    }

    @Test
    void aHundredParallelLoginsAreNever500() throws Exception {
        Api.Account bob = Api.newAccount("loadlogin", "first");
        String body = "{\"username\":\"" + bob.username() + "\",\"password\":\"" + Api.PASSWORD + "\",\"deviceId\":\"d%d\"}";
        Map<Integer, Integer> counts = Burst.send("POST /auth/login", 100, i -> HttpRequest.newBuilder(base.resolve("/auth/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", Api.randomAddress())
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body.formatted(i))).build());
        assertTrue(counts.getOrDefault(200, 0) > 0, "some succeed");
    }

    @Test
    void aRevokedSessionIsRefusedWithinTheCacheBoundWhileItsTokenIsHot() throws Exception {
        Api.Account carol = Api.newAccount("loadrevoke", "phone");
        for (int i = 0; i < 5; i++) {
            Api.as(carol.token()).get("/auth/me").then().statusCode(200); // the check is cached now
        }
        long revokedAt = System.nanoTime();
        assertEquals(1, redis.hash(String.class).hdel(SessionKeys.sessions(carol.id()), "phone"));
        long deadline = revokedAt + CACHE_TTL.plusSeconds(1).toNanos();
        int status;
        do {
            status = Api.as(carol.token()).get("/auth/me").then().extract().statusCode();
        } while (status == 200 && System.nanoTime() < deadline);
        long tookMs = (System.nanoTime() - revokedAt) / 1_000_000;
        System.out.printf("revoked session refused after %d ms (cache ttl %d ms)%n", tookMs, CACHE_TTL.toMillis());
        assertEquals(401, status, "refused within ttl + 1 s");
    }
}

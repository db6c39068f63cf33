package io.chatplatform.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The upgrade burst of {@link UpgradeLoadTest} against a Redis pool of 4 connections with 8 waiting: what does not fit
 * is refused with 503 + Retry-After (ticket redemption and session check alike), never a 500.
 */
@QuarkusTest
@TestProfile(SaturatedUpgradeTest.TinyRedisPool.class)
class SaturatedUpgradeTest extends ChatTestBase {

    public static class TinyRedisPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.max-pool-size", "4", "quarkus.redis.max-pool-waiting", "8");
        }
    }

    @Test
    void upgradesThatFindThePoolFullAre503WithRetryAfterNot500() throws Exception {
        Map<Integer, Integer> counts = UpgradeLoadTest.burst(users, wsUri());
        assertTrue(counts.getOrDefault(503, 0) > 0, "the tiny pool refuses some: " + counts);
    }
}

package io.chatplatform.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.localstack.StoresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The user-id mirror chat checks before a direct conversation ({@code users:{bucket}:exists}, chat-common UserKeys):
 * set at registration, rebuilt from MySQL after a real FLUSHALL, and answered on request over the real channel.
 */
@QuarkusTest
@Tag("cluster")
class UserMirrorTest {

    static long bit(long uid) {
        return (Long) Mirrors.redis("GETBIT", "users:{" + uid / 65_536 + "}:exists", Long.toString(uid % 65_536));
    }

    @Test
    void aRegisteredUserIsMirroredAtOnceAndAgainAfterFlushAll() {
        long uid = Api.register(Api.uniqueName("exists"));
        assertEquals(1, bit(uid), "set by the registration");
        StoresTestResource.flushRedis();
        assertEquals(0, bit(uid));
        long ms = Mirrors.await("user-id mirror rebuilt", Duration.ofSeconds(15), () -> bit(uid) == 1);
        System.out.printf("[mirror] user ids back %d ms after FLUSHALL%n", ms);
    }

    @Test
    void aRequestConfirmsAnExistingUserAndMarksAnUnknownIdAbsent() {
        long uid = Api.register(Api.uniqueName("asked"));
        Mirrors.redis("SETBIT", "users:{" + uid / 65_536 + "}:exists", Long.toString(uid % 65_536), "0");
        Mirrors.redis("PUBLISH", "auth:mirror:rebuild", "user:" + uid);
        Mirrors.await("bit set on request", Duration.ofSeconds(5), () -> bit(uid) == 1);

        long unknown = 900_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
        String absent = "users:{" + unknown / 65_536 + "}:absent:" + unknown;
        Mirrors.redis("PUBLISH", "auth:mirror:rebuild", "user:" + unknown);
        Mirrors.await("absent marker", Duration.ofSeconds(5), () -> "1".equals(Mirrors.redis("GET", absent)));
        long ttl = (Long) Mirrors.redis("TTL", absent);
        assertTrue(ttl > 0 && ttl <= 60, "absent marker expires: " + ttl);
        assertEquals(0, bit(unknown));
    }
}

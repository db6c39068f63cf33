package io.chatplatform.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.localstack.Burst;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 1,000 WebSocket upgrades at once across 250 users (4 devices each: two by bearer token, two by one-time ticket) with
 * the shipped Redis pool: every answer is 101 or a documented refusal (429/503 with Retry-After), never a 500.
 * {@link SaturatedUpgradeTest} runs the same burst against a Redis pool too small for it.
 */
@QuarkusTest
class UpgradeLoadTest extends ChatTestBase {

    static final int USERS = 250;
    static final int DEVICES = 4;

    @Test
    void aThousandParallelUpgradesByBearerAndTicketAreAnswered101OrRefusedWithRetryAfter() throws Exception {
        Map<Integer, Integer> counts = burst(users, wsUri());
        assertEquals(USERS * DEVICES, counts.getOrDefault(101, 0), "the shipped pool carries the burst: " + counts);
    }

    /** The burst: device d of user u upgrades with its bearer token (d even) or a fresh ticket (d odd). */
    static Map<Integer, Integer> burst(TestUsers users, URI ws) throws Exception {
        List<Burst.Upgrade> upgrades = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            long uid = TestUsers.newUid();
            for (int d = 0; d < DEVICES; d++) {
                TestUsers.Device device = users.login(uid, "load-" + d);
                upgrades.add(d % 2 == 0
                        ? new Burst.Upgrade(ws, Map.of("Authorization", "Bearer " + device.token()))
                        : new Burst.Upgrade(URI.create(ws + "?ticket=" + users.ticket(device)), Map.of()));
            }
        }
        Map<Integer, Integer> counts = Burst.upgrades("/ws upgrades (bearer + ticket)", upgrades.size(), upgrades::get);
        assertTrue(counts.getOrDefault(101, 0) > 0, "some upgrades succeed: " + counts);
        return counts;
    }
}

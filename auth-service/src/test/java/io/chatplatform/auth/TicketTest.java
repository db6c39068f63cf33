package io.chatplatform.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.session.WsTicket;
import io.chatplatform.common.session.WsTicketRedeemer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Tickets are issued over HTTP and redeemed through the shared redeemer chat-service uses, on real Redis. */
@QuarkusTest
@Tag("cluster")
class TicketTest {

    @Inject
    WsTicketRedeemer redeemer;

    @Inject
    RedisDataSource redis;

    @Test
    void aTicketWorksOnceAndStandsForTheDeviceSession() {
        Api.Account user = Api.newAccount("tix", "browser");
        var response = Api.as(user.token()).post("/auth/ws-ticket").then().statusCode(200)
                .body("expiresIn", equalTo(30)).extract().jsonPath();
        String ticket = response.getString("ticket");
        assertTrue(ticket.length() >= 43, "256 random bits");

        Optional<WsTicket> first = redeem(ticket);
        assertTrue(first.isPresent());
        assertEquals(user.id(), first.get().uid());
        assertEquals("browser", first.get().deviceId());
        assertEquals(Api.claims(user.token()).get("jti").asText(), first.get().jti());
        assertEquals(user.username(), first.get().username());
        assertEquals("USER", first.get().role());
        assertTrue(redeem(ticket).isEmpty(), "second use fails");
    }

    @Test
    void aTicketExpiresAfterThirtySeconds() {
        Api.Account user = Api.newAccount("tixttl", "browser");
        String ticket = Api.as(user.token()).post("/auth/ws-ticket").then().statusCode(200).extract().path("ticket");
        long ttl = redis.key().pttl("auth:ticket:" + ticket);
        assertTrue(ttl > 25_000 && ttl <= 30_000, "ttl " + ttl);
        redis.key().pexpire("auth:ticket:" + ticket, Duration.ofMillis(1));
        sleep(20);
        assertTrue(redeem(ticket).isEmpty(), "an expired ticket fails");
    }

    @Test
    void aTicketOfAReplacedDeviceSessionFails() {
        Api.Account user = Api.newAccount("tixold", "browser");
        String ticket = Api.as(user.token()).post("/auth/ws-ticket").then().statusCode(200).extract().path("ticket");
        Api.login(user.username(), "browser");
        assertTrue(redeem(ticket).isEmpty());
    }

    @Test
    void parallelUsesOfOneTicketLetExactlyOneThrough() throws Exception {
        Api.Account user = Api.newAccount("tixrace", "browser");
        for (int round = 0; round < 5; round++) {
            String ticket = Api.as(user.token()).post("/auth/ws-ticket").then().statusCode(200).extract().path("ticket");
            int parallel = 16;
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<WsTicket>>> results = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return redeem(ticket);
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Optional<WsTicket>> result : results) {
                wins += result.get().isPresent() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, wins, "exactly one of " + parallel + " parallel redemptions succeeds");
        }
    }

    @Test
    void unknownAndMalformedTicketsFailAndTicketsNeedAToken() {
        assertTrue(redeem("no-such-ticket").isEmpty());
        assertTrue(redeem("").isEmpty());
        assertTrue(redeem("x".repeat(500)).isEmpty());
        Api.json().post("/auth/ws-ticket").then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
    }

    private Optional<WsTicket> redeem(String ticket) {
        return redeemer.redeem(ticket).await().atMost(Duration.ofSeconds(5));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.chatplatform.auth;

import io.chatplatform.localstack.Burst;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis pool far too small for the load (2 connections, 1 waiting, no session cache): the requests that find the wait
 * queue full are answered 503 with Retry-After and the JSON body, never 500. Two, not one: the pub/sub subscriptions
 * (auth:mirror:rebuild and its probe) take a pooled connection of their own while they resubscribe, and a request
 * queued behind a subscription waits for good (the README's pool sizing says the same of production).
 */
@QuarkusTest
@TestProfile(SaturationTest.TinyRedisPool.class)
class SaturationTest {

    public static class TinyRedisPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.max-pool-size", "2", "quarkus.redis.max-pool-waiting", "1",
                    "session-check.cache-ttl", "0s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    /** With so few Redis connections the set-up itself may be told 503 (the mirror watcher holds it): retry as a client would. */
    private static Api.Account newAccountHonouringRetry() throws InterruptedException {
        AssertionError last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            try {
                return Api.newAccount("saturate", "phone");
            } catch (AssertionError busy) {
                last = busy;
                Thread.sleep(200);
            }
        }
        throw last;
    }

    @Test
    void aFullRedisWaitQueueIs503NotA500() throws Exception {
        Api.Account dave = newAccountHonouringRetry();
        Burst.send("GET /auth/me, Redis pool 2/1", 300, i -> HttpRequest.newBuilder(base.resolve("/auth/me"))
                .header("Authorization", "Bearer " + dave.token()).timeout(Duration.ofSeconds(60)).GET().build());
        Burst.send("POST /auth/ws-ticket, Redis pool 2/1", 100, i -> HttpRequest.newBuilder(base.resolve("/auth/ws-ticket"))
                .header("Authorization", "Bearer " + dave.token()).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }
}

package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthTest extends ChatTestBase {

    @Test
    void bootsAndReportsItsStores() {
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Redis connection health check"));
    }

    @Test
    void prometheusShowsConnectionsFramesMessagesAndLatency() {
        long bob = TestUsers.newUid();
        WsClient alice = connect(users.login(TestUsers.newUid(), "d"));
        WsClient bobSocket = connect(users.login(bob, "d"));
        alice.send(Map.of("type", "send", "id", "1", "cid", "m1", "to", Map.of("user", bob), "kind", "text", "body", "hi"));
        alice.awaitReply("1");
        bobSocket.await("message");
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("chat_connections_open"))
                .body(containsString("chat_frames_received_total"))
                .body(containsString("chat_frames_sent_total"))
                .body(containsString("chat_messages_received_total"))
                .body(containsString("chat_log_published_total"))
                .body(containsString("chat_frames_delivered_total"))
                .body(containsString("chat_delivery_latency_seconds_bucket"))
                .body(containsString("chat_inbox_lag_ms"));
    }
}

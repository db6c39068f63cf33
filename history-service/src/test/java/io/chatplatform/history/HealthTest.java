package io.chatplatform.history;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@QuarkusTest
@Tag("cluster")
class HealthTest {

    @Test
    void bootsAndReportsItsStoresAndTheIngestLoop() {
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("history-ingest"));
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Redis connection health check"))
                .body("checks.name", hasItem("MongoDB connection health check"));
    }

    @Test
    void exposesIngestMetrics() {
        Eventually.await(java.time.Duration.ofSeconds(20), "lag gauges registered",
                () -> RestAssured.get("/q/metrics").asString().contains("history_ingest_lag_entries"));
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("history_ingest_lag_entries{partition=\"0\"}"))
                .body(containsString("history_ingest_lag_millis{partition=\"7\"}"))
                .body(containsString("history_ingest_pending{partition=\"3\"}"))
                .body(containsString("history_ingest_messages_inserted_total"))
                .body(containsString("history_ingest_dead_letter_length"));
    }

    @Test
    void publishesOpenApi() {
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/history/conversations/{conv}/messages"))
                .body(containsString("/history/consultations"));
    }
}

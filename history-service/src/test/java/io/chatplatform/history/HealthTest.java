package io.chatplatform.history;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.chatplatform.localstack.StoresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = StoresTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "stores", value = "redis,mongo"))
class HealthTest {

    @Test
    void bootsAndReportsItsStores() {
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Redis connection health check"))
                .body("checks.name", hasItem("MongoDB connection health check"));
    }
}

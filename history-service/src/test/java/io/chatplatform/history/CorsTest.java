package io.chatplatform.history;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The web client (served by chat-service, another origin) may call history; its 401 body reaches the page. */
@QuarkusTest
class CorsTest {

    /** The test profile's default CORS_ORIGINS: the local chat page. */
    private static final String PAGE = "http://localhost:8082";

    @Test
    void thePagesOriginMaySendABearerToken() {
        given().header("Origin", PAGE)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/history/conversations")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", PAGE)
                .header("Access-Control-Allow-Headers", containsString("Authorization"));
    }

    @Test
    void theUnauthorizedBodyReachesThePage() {
        given().header("Origin", PAGE).get("/history/conversations")
                .then().statusCode(401)
                .header("Access-Control-Allow-Origin", PAGE)
                .body("error", equalTo("UNAUTHORIZED"));
    }

    @Test
    void otherOriginsAreRefused() {
        given().header("Origin", "https://elsewhere.example").get("/history/conversations")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}

package io.chatplatform.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The web client (served by chat-service, another origin) may call auth; its error bodies reach the page. */
@QuarkusTest
class CorsTest {

    /** The test profile's default CORS_ORIGINS: the local chat page. */
    private static final String PAGE = "http://127.0.0.1:8082";

    @Test
    void thePagesOriginMaySendABearerTokenAndJson() {
        given().header("Origin", PAGE)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/auth/ws-ticket")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", PAGE)
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Headers", containsString("Content-Type"))
                .header("Access-Control-Allow-Credentials", equalTo("false"));
    }

    @Test
    void errorBodiesReachThePage() {
        given().header("Origin", PAGE).contentType("application/json").body("{\"username\":\"x\",\"password\":\"short\"}")
                .post("/auth/register")
                .then().statusCode(400)
                .header("Access-Control-Allow-Origin", PAGE)
                .body("error", equalTo("INVALID_FIELD"));
        given().header("Origin", PAGE).get("/auth/me")
                .then().statusCode(401)
                .header("Access-Control-Allow-Origin", PAGE)
                .body("error", notNullValue());
    }

    @Test
    void otherOriginsAreRefused() {
        given().header("Origin", "https://elsewhere.example").get("/.well-known/jwks.json")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        given().get("/.well-known/jwks.json").then().statusCode(200); // no Origin: not a browser, not CORS
    }
}

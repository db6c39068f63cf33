package io.chatplatform.chat;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** The web client's static files and its config are served at / without credentials (the browser tests are in e2e-tests). */
@QuarkusTest
class WebClientTest extends ChatTestBase {

    @Test
    void thePageAndItsModulesAreServedWithAStrictContentSecurityPolicy() {
        RestAssured.get("/").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<script type=\"module\" src=\"js/main.js\"></script>"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self' ws: wss: http://127.0.0.1:8081 http://127.0.0.1:8083"));
        for (String module : new String[] {"api", "socket", "store", "conversations", "chat", "desk", "account", "groups", "ui", "main"}) {
            RestAssured.get("/js/" + module + ".js").then().statusCode(200).contentType(startsWith("text/javascript"));
        }
        RestAssured.get("/app.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void configTellsThePageWhereAuthAndHistoryAre() {
        RestAssured.get("/config.json").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("authUrl", equalTo("http://127.0.0.1:8081"))
                .body("historyUrl", equalTo("http://127.0.0.1:8083"))
                .body("wsUrl", equalTo(null));
    }
}

package io.chatplatform.history;

import io.chatplatform.common.conversation.ConversationId;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** Who may read what (404 for everyone else, like a missing conversation), 401 without a valid session, 400 on bad input. */
@QuarkusTest
@Tag("cluster")
class AccessTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    @Test
    void nonMembersGetTheSame404AsForAConversationThatDoesNotExist() {
        TestUsers users = new TestUsers(redis);
        long x = TestLog.newId();
        long y = TestLog.newId();
        long gid = TestLog.newId();
        users.joinGroup(gid, x);
        TestUsers.User member = users.login(x);
        TestUsers.User outsider = users.login(y);
        TestUsers.User agent = users.login(TestLog.newId(), "AGENT");
        long z = TestLog.newId();
        String direct = ConversationId.direct(x, z).value();
        String group = "g." + gid;
        String desk = "c." + TestLog.newId();
        TestLog.append(raw, TestLog.message(direct, 1, x, "secret", List.of(x, z)),
                TestLog.message(group, 1, x, "group secret", null),
                TestLog.desk(desk, "opened", "WAITING", x, null, x, null, "topic", System.currentTimeMillis()),
                TestLog.message(desk, 1, x, "desk secret", List.of(x)));
        Eventually.await(Duration.ofSeconds(20), "stored", () -> member.api().get(path(desk)).then().extract().statusCode() == 200
                && member.api().get(path(desk)).then().extract().jsonPath().getList("items").size() == 1
                && member.api().get(path(direct)).then().extract().jsonPath().getList("items").size() == 1
                && member.api().get(path(group)).then().extract().jsonPath().getList("items").size() == 1);

        Response missing = outsider.api().get(path("c." + TestLog.newId()));
        missing.then().statusCode(404).body("error", equalTo("NOT_FOUND")).body("message", notNullValue());
        for (String conv : List.of(direct, group, desk)) {
            Response denied = outsider.api().get(path(conv));
            denied.then().statusCode(404);
            assertEquals(missing.asString(), denied.asString(), "indistinguishable from a missing conversation: " + conv);
        }
        agent.api().get(path(desk)).then().statusCode(200).body("items[0].body", equalTo("desk secret"));
        agent.api().get(path(direct)).then().statusCode(404);
        // a direct conversation's two users may read it even before its first message
        member.api().get(path(ConversationId.direct(x, y).value())).then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void withoutAValidSessionItIs401() {
        TestUsers users = new TestUsers(redis);
        long x = TestLog.newId();
        String conv = "d." + x + "." + (x + 1);
        RestAssured.get(path(conv)).then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
        RestAssured.get("/history/conversations").then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
        RestAssured.get("/history/consultations").then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
        RestAssured.given().auth().oauth2("not-a-jwt").get(path(conv)).then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));

        TestUsers.User user = users.login(x);
        user.api().get(path(conv)).then().statusCode(200);
        users.login(x); // a new login on the same device replaces the session: the old token stops working
        user.api().get(path(conv)).then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
        TestUsers.User again = users.login(x);
        users.revoke(again);
        again.api().get("/history/conversations").then().statusCode(401);
    }

    @Test
    void badParametersAre400WithAJsonBody() {
        TestUsers users = new TestUsers(redis);
        long x = TestLog.newId();
        TestUsers.User user = users.login(x);
        String conv = "d." + x + "." + (x + 1);
        for (String query : List.of("limit=abc", "limit=1.5", "before=-1", "before=abc", "after=x", "before=5&after=2",
                "after=99999999999999999999")) {
            user.api().get(path(conv) + "?" + query).then().statusCode(400)
                    .body("error", equalTo("INVALID_FIELD")).body("message", notNullValue());
        }
        for (String bad : List.of("x.1", "d.2.1", "d.1.1", "g.01", "c.-4", "g.abc", "d.1", "g.9999999999999999999")) {
            user.api().get(path(bad)).then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        }
        user.api().get("/history/conversations?cursor=garbage!").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        user.api().get("/history/conversations?limit=ten").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        user.api().get("/history/consultations?cursor=djE6eHl6").then().statusCode(400).body("error", equalTo("INVALID_FIELD"));
        user.api().get("/history/nothing-here").then().statusCode(404).body("error", equalTo("NOT_FOUND"));
    }

    private static String path(String conv) {
        return "/history/conversations/" + conv + "/messages";
    }
}

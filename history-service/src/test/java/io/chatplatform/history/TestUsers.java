package io.chatplatform.history;

import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.localstack.TestTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Device sessions and group mirrors as auth-service leaves them in Redis. */
public final class TestUsers {

    private final RedisDataSource redis;

    public TestUsers(RedisDataSource redis) {
        this.redis = redis;
    }

    public User login(long uid) {
        return login(uid, "USER");
    }

    public User login(long uid, String role) {
        String device = "dev-" + uid;
        TestTokens.Issued issued = TestTokens.issue(uid, "user" + uid, device, role);
        redis.hash(String.class).hset(TestTokens.sessionKey(uid), device, issued.jti());
        return new User(uid, device, issued.token());
    }

    public void revoke(User user) {
        redis.hash(String.class).hdel(TestTokens.sessionKey(user.uid()), user.deviceId());
    }

    /** Group membership mirrored both ways, like auth-service does. */
    public void joinGroup(long gid, long... uids) {
        for (long uid : uids) {
            redis.set(String.class).sadd(GroupKeys.members(gid), String.valueOf(uid));
            redis.set(String.class).sadd(GroupKeys.groupsOf(uid), String.valueOf(gid));
        }
    }

    public record User(long uid, String deviceId, String token) {
        public RequestSpecification api() {
            return RestAssured.given().auth().oauth2(token);
        }
    }
}

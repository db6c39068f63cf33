package io.chatplatform.auth.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.common.session.SessionKeys;
import io.chatplatform.common.session.SessionRevoked;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import jakarta.enterprise.context.ApplicationScoped;

/** Tells chat instances (over Redis pub/sub {@code auth:events}) that a device token stopped being valid. */
@ApplicationScoped
public class SessionEvents {

    private final PubSubCommands<String> pubsub;
    private final ObjectMapper json;

    public SessionEvents(RedisDataSource redis, ObjectMapper json) {
        this.pubsub = redis.pubsub(String.class);
        this.json = json;
    }

    public void revoked(long uid, String deviceId, String jti, String reason) {
        try {
            pubsub.publish(SessionKeys.EVENTS_CHANNEL, json.writeValueAsString(SessionRevoked.of(uid, deviceId, jti, reason)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared setup of the chat-service tests: users and sockets, closed after each test. */
abstract class ChatTestBase {

    @Inject
    RedisDataSource redis;

    @Inject
    ReactiveRedisDataSource reactiveRedis;

    private AuthMirrorStandIn authMirrors;

    @TestHTTPResource("/ws")
    URI httpUri;

    TestUsers users;
    private final List<WsClient> open = new ArrayList<>();

    @BeforeEach
    void setUpUsers() {
        users = new TestUsers(redis, wsUri());
        authMirrors = AuthMirrorStandIn.start(reactiveRedis);
    }

    @AfterEach
    void closeSockets() {
        open.forEach(WsClient::close);
        open.clear();
        authMirrors.close();
    }

    /**
     * After a Redis restart the stand-in's subscription is gone (real auth resubscribes on its own, ResilientSubscription):
     * subscribe it again, as auth would be listening again.
     */
    void resubscribeAuthMirrors() {
        authMirrors.close();
        authMirrors = AuthMirrorStandIn.start(reactiveRedis);
    }

    URI wsUri() {
        return URI.create(httpUri.toString().replaceFirst("^http", "ws"));
    }

    WsClient connect(TestUsers.Device device) {
        return track(users.connect(device));
    }

    WsClient track(WsClient client) {
        open.add(client);
        return client;
    }
}

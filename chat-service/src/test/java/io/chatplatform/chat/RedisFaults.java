package io.chatplatform.chat;

import io.quarkus.redis.datasource.RedisDataSource;

/** Injects Redis faults for real in chat-service's tests. */
final class RedisFaults {

    private RedisFaults() {
    }

    /** Redis forgets everything (FLUSHALL). */
    static void wipe(RedisDataSource redis) {
        redis.flushall();
    }
}

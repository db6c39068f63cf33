package io.chatplatform.chat;

import io.chatplatform.localstack.StoresTestResource;

/** Injects Redis faults for real in chat-service's tests (every node of a cluster; see local-stack's fault API). */
final class RedisFaults {

    private RedisFaults() {
    }

    /** Redis forgets everything (FLUSHALL on every node). */
    static void wipe() {
        StoresTestResource.flushRedis();
    }

    /** redis-server restarts without persistence; false (nothing done) when the tests use a real server they don't own. */
    static boolean restart() {
        return StoresTestResource.restartRedis();
    }
}

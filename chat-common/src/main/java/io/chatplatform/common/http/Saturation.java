package io.chatplatform.common.http;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Failures that mean "busy or briefly unreachable, repeat the request", wherever they sit in the cause chain: a full
 * pool wait queue (Vert.x {@link ConnectionPoolTooBusyException}, e.g. the Redis pool's {@code max-pool-waiting}), a
 * rejected task, a store that cannot be connected to or timed out, a Redis reply saying it is loading or busy, the
 * MongoDB driver's timeouts (no pooled connection free within the wait-queue timeout: busy; no server selected: down),
 * socket failures, SQL deadlocks, lock wait timeouts and an exhausted JDBC pool. They become {@code 503 UNAVAILABLE}
 * with {@code Retry-After}, never a 500 (REST through {@link ApiExceptionMappers}; chat's WebSocket upgrade through
 * its upgrade check).
 */
public final class Saturation {

    /** Seconds a client waits before repeating a request refused because a queue was full. */
    static final long BUSY_RETRY_AFTER_SECONDS = 1;
    /** Seconds a client waits when a store could not be reached. */
    static final long DOWN_RETRY_AFTER_SECONDS = 2;

    static final ApiException BUSY = ApiException.unavailable("the service is busy; try again in a moment",
            BUSY_RETRY_AFTER_SECONDS);
    static final ApiException DOWN = ApiException.unavailable("a store cannot be reached for a moment; try again",
            DOWN_RETRY_AFTER_SECONDS);

    /** Package-private in the Vert.x Redis client, so known by name. */
    private static final String REDIS_CONNECT_EXCEPTION = "io.vertx.redis.client.impl.RedisConnectException";
    /** The MongoDB driver is not on every service's class path: known by name too. */
    private static final String MONGO_TIMEOUT = "com.mongodb.MongoTimeoutException";
    private static final String MONGO_SOCKET = "com.mongodb.MongoSocketException";
    private static final String AGROAL_ACQUISITION_TIMEOUT = "acquisition timeout";
    private static final String[] TRANSIENT_REDIS_REPLIES = {"LOADING", "BUSY ", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN"};

    private Saturation() {
    }

    /** The 503 to answer for e, or null when e is not a saturation or reachability failure. */
    public static ApiException of(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof ApiException api && api.status() == 503) {
                return api;
            }
            if (t instanceof ConnectionPoolTooBusyException || t instanceof RejectedExecutionException) {
                return BUSY;
            }
            if (t instanceof SQLException sql && isTransient(sql)) {
                return BUSY;
            }
            if (t.getClass().getName().equals(REDIS_CONNECT_EXCEPTION) || t instanceof ConnectException
                    || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException) {
                return DOWN;
            }
            String message = t.getMessage();
            if (t.getClass().getName().equals(MONGO_TIMEOUT)) {
                // "Timed out after N ms while waiting for a connection to server ..." = the pool is exhausted
                return message != null && message.contains("waiting for a connection") ? BUSY : DOWN;
            }
            if (isA(t, MONGO_SOCKET)) {
                return DOWN;
            }
            if (message != null && t.getClass().getName().startsWith("io.vertx.redis.")) {
                for (String reply : TRANSIENT_REDIS_REPLIES) {
                    if (message.startsWith(reply)) {
                        return DOWN;
                    }
                }
            }
        }
        return null;
    }

    /**
     * A SQL failure that a repeat can get past: a deadlock victim or lock wait timeout (SQLState 40001, Connector/J's
     * {@link SQLTransientException}s), or no pooled connection within Agroal's acquisition timeout (a plain
     * {@link SQLException}, known by its message).
     */
    private static boolean isTransient(SQLException e) {
        return e instanceof SQLTransientException || "40001".equals(e.getSQLState())
                || (e.getMessage() != null && e.getMessage().contains(AGROAL_ACQUISITION_TIMEOUT));
    }

    /** t's class or one of its superclasses has this name. */
    private static boolean isA(Throwable t, String className) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}

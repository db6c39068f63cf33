package io.chatplatform.chat.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "chat")
public interface ChatConfig {

    Log log();

    Presence presence();

    Limits limits();

    /** Browser origins allowed to open the WebSocket; empty = any origin (non-browser clients send none). */
    Optional<List<String>> allowedOrigins();

    @WithDefault("86400s")
    Duration dedupTtl();

    /**
     * A connection that sent nothing, not even a pong to the server's protocol pings
     * ({@code quarkus.websockets-next.server.auto-ping-interval}), for this long is dead and closed.
     */
    @WithDefault("75s")
    Duration heartbeatTimeout();

    /**
     * How often every open connection's device session is re-checked in Redis, so a revocation whose
     * {@code auth:events} message was missed (e.g. during a Redis failover) still closes the socket.
     */
    @WithDefault("30s")
    Duration sessionAuditInterval();

    /** The browser client served at {@code /}: where it finds the other services ({@code GET /config.json}). */
    Web web();

    interface Log {
        /** Number of {@code chat:log:{p}} streams; history-service must use the same number. */
        @WithDefault("8")
        int partitions();

        /** Approximate MAXLEN of each log stream: generous, so history never loses an unread entry. */
        @WithDefault("1000000")
        long maxLength();

        /** Approximate MAXLEN of an instance inbox stream. */
        @WithDefault("100000")
        long inboxMaxLength();
    }

    interface Presence {
        /** Expiry of {@code presence:{uid}} and of this instance's liveness key; refreshed at a third of it. */
        @WithDefault("60s")
        Duration ttl();
    }

    interface Limits {
        /** Largest accepted text frame in bytes; larger ones close the connection with 1009. */
        @WithDefault("65536")
        int maxFrameBytes();

        @WithDefault("4000")
        int maxBodyChars();

        /** Sustained frames per second per connection, and the burst above it. */
        @WithDefault("20")
        int framesPerSecond();

        @WithDefault("40")
        int frameBurst();

        /** Frames refused for rate within a minute before the connection is closed with 4008. */
        @WithDefault("20")
        int maxRateViolations();

        /** Bad frames within a minute before the connection is closed with 4008. */
        @WithDefault("10")
        int maxBadFrames();

        /** Open connections one user may hold on one instance. */
        @WithDefault("10")
        int maxConnectionsPerUser();
    }

    interface Web {
        /** auth-service's base URL as the browser reaches it. */
        @WithDefault("http://127.0.0.1:8081")
        String authUrl();

        /** history-service's base URL as the browser reaches it. */
        @WithDefault("http://127.0.0.1:8083")
        String historyUrl();

        /** The WebSocket URL; unset: {@code ws(s)://<the page's host>/ws}. */
        Optional<String> wsUrl();
    }
}

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

    Seq seq();

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

    /** How long after sending its sender may {@code edit} a text message (env {@code CHAT_EDIT_WINDOW}). */
    @WithDefault("48h")
    Duration editWindow();

    /**
     * How long after sending its sender may {@code recall} a message (env {@code CHAT_RECALL_WINDOW}); group owners and
     * admins, and the agent serving a consultation, may recall at any time.
     */
    @WithDefault("2m")
    Duration recallWindow();

    /**
     * How long chat keeps a message's record ({@code chat:msg:{conv}:{msgId}}: sender, kind, time, current text) that
     * edit, recall, react, hide, replies and forwards are checked against (env {@code CHAT_MESSAGE_META_TTL}). Must be
     * at least {@link #editWindow()}. Changing an older message is refused with {@code NOT_FOUND}.
     */
    @WithDefault("7d")
    Duration messageMetaTtl();

    /** The browser client served at {@code /}: where it finds the other services ({@code GET /config.json}). */
    Web web();

    /** The service desk (env {@code CHAT_DESK_*}). */
    Desk desk();

    interface Desk {
        /** {@code manual}: agents grab waiting tickets; {@code auto}: tickets go to the least loaded online agent. */
        @WithDefault("manual")
        Assignment assignment();

        /** Open tickets (serving or being transferred) one agent may hold; grab, accept and auto-assignment respect it. */
        @WithDefault("5")
        int agentCapacity();

        /** In auto mode: how long an agent may be offline before the tickets they serve go back to the queue. */
        @WithDefault("2m")
        Duration reassignAfter();

        /** A ticket without an agent message this long after it was opened has breached its first-response SLA. */
        @WithDefault("5m")
        Duration firstResponse();

        /**
         * Business hours, e.g. {@code Mon-Fri 09:00-18:00 Europe/Berlin} (several ranges separated by {@code ;});
         * unset: always open. A ticket opened outside them gets {@link #offlineMessage()} as a SYSTEM message.
         */
        Optional<String> hours();

        @WithDefault("We are closed right now. Leave your question here and we will answer when we are back.")
        String offlineMessage();

        /** How often each instance looks for late first responses, offline agents' tickets and unassigned tickets. */
        @WithDefault("1s")
        Duration sweepInterval();

        enum Assignment {
            manual, auto
        }
    }

    interface Log {
        /** Number of {@code chat:log:{p}} streams; history-service must use the same number. */
        @WithDefault("8")
        int partitions();

        /**
         * Last resort, in entries per log stream: past it the oldest entries are dropped even though some consumer group
         * has not stored them (counted in {@code chat.log.trimmed.unconsumed}; alert on it). Below it, streams are only
         * trimmed below what every group has stored. 0: no limit.
         */
        @WithDefault("10000000")
        long hardLimit();

        /** How often each log stream is trimmed below its consumer groups' progress. */
        @WithDefault("10s")
        Duration trimInterval();

        /**
         * Consumer groups of the log: created (from id 0) with the streams at start-up and whenever a stream has to be
         * recreated after Redis lost it, so they miss nothing appended meanwhile.
         */
        @WithDefault("history")
        List<String> consumerGroups();

        /**
         * How long this instance remembers an appended entry that not every group has stored yet, to append it again if
         * Redis loses the stream (an acknowledged message still reaches history).
         */
        @WithDefault("10m")
        Duration replayWindow();

        /** At most this many remembered entries per partition (oldest forgotten first, counted). */
        @WithDefault("50000")
        int replayMaxEntries();

        /** Approximate MAXLEN of an instance inbox stream. */
        @WithDefault("100000")
        long inboxMaxLength();
    }

    interface Seq {
        /**
         * Values (seqs, desk ticket ids) reserved durably at a time. After Redis loses a counter, the next value lies
         * above every value reserved before: a jump of less than this, never a reuse. One MongoDB write per block.
         */
        @WithDefault("100")
        long blockSize();

        /** MongoDB database holding the reserved blocks (collection {@code seq_blocks}). */
        @WithDefault("chat")
        String database();
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

        /** Open connections one user may hold on one instance (upgrades under way count too). */
        @WithDefault("10")
        int maxConnectionsPerUser();

        /**
         * Bytes of frames written to a connection but not yet taken by its socket (a reader that does not keep up); past
         * this the connection is closed with 1008 and sends to it are dropped: it resyncs from history when it
         * reconnects. Bounds the server's memory per connection.
         */
        @WithDefault("1048576")
        int maxQueuedBytes();

        /**
         * After closing a connection that does not read, how long the server waits for its close frame to get through
         * before it drops the TCP connection.
         */
        @WithDefault("5s")
        Duration slowReaderCloseGrace();
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

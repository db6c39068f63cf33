package io.chatplatform.history.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything under {@code history.*}; each key can be overridden by its environment variable (HISTORY_...). */
@ConfigMapping(prefix = "history")
public interface HistoryConfig {

    /** Number of log partitions {@code chat:log:{0..P-1}}; must equal chat-service's {@code chat.log.partitions}. */
    @WithDefault("8")
    int partitions();

    Ingest ingest();

    Api api();

    Search search();

    Store store();

    Retention retention();

    Metrics metrics();

    Media media();

    interface Ingest {

        /** Run the consumer in this process (off: REST only, e.g. a read replica deployment). */
        @WithDefault("true")
        boolean enabled();

        /** Redis consumer group name shared by every history replica. */
        @WithDefault("history")
        String group();

        /** Consumer name of this process; default {@code <hostname>-<random>} (unique per process). */
        Optional<String> consumerName();

        /** Entries per XREADGROUP / XAUTOCLAIM call and per Mongo bulk write. */
        @WithDefault("500")
        int batchSize();

        /** XREADGROUP BLOCK time; also bounds how long a shutdown waits for an idle consumer. */
        @WithDefault("2s")
        Duration blockTime();

        /** Entries pending longer than this on another (presumably dead) consumer are taken over (XAUTOCLAIM). */
        @WithDefault("60s")
        Duration claimIdle();

        /** How often each partition consumer looks for entries to take over. */
        @WithDefault("15s")
        Duration claimInterval();

        /** An entry delivered more often than this without being acknowledged goes to the dead-letter stream. */
        @WithDefault("10")
        int maxDeliveries();

        /** Dead-letter stream: the original entry's fields plus stream, id, group, reason, deliveries, at. */
        @WithDefault("chat:dlq")
        String deadLetterStream();

        /** Approximate cap (XADD MAXLEN ~) of the dead-letter stream. */
        @WithDefault("100000")
        long deadLetterMaxLen();

        /** First wait after a failed store/Redis call; doubles up to {@link #retryBackoffMax()}. */
        @WithDefault("100ms")
        Duration retryBackoffInitial();

        @WithDefault("5s")
        Duration retryBackoffMax();

        /**
         * Consumers (of crashed processes) that hold no pending entries and have not read for this long are
         * removed from the group (XGROUP DELCONSUMER); a clean shutdown removes its own consumer at once.
         */
        @WithDefault("24h")
        Duration consumerPruneIdle();

        /** Liveness fails when a consumer loop has made no progress (not even a retry) for this long. */
        @WithDefault("2m")
        Duration stallTimeout();

        /** How long shutdown waits for consumers to finish their batch. */
        @WithDefault("15s")
        Duration shutdownTimeout();
    }

    interface Api {

        /** Page size when the request gives no {@code limit}. */
        @WithDefault("50")
        int defaultLimit();

        /** Largest accepted {@code limit}; larger values are clamped. */
        @WithDefault("200")
        int maxLimit();

        /**
         * Largest unread count reported per conversation (a count of messages, not seqs); a conversation with
         * more unread messages reports exactly this value (clients show e.g. "999+").
         */
        @WithDefault("999")
        int unreadCap();
    }

    interface Store {

        /**
         * Longest a request (or an ingest write) waits for a pooled MongoDB connection when all
         * {@code quarkus.mongodb.max-pool-size} are busy; then it fails, and a REST request is answered 503 +
         * Retry-After (the driver's default is 2 minutes: an unbounded queue in practice).
         */
        @WithDefault("2s")
        Duration poolWaitTimeout();
    }

    interface Retention {

        /** Delete messages this long after they were sent (TTL index on {@code messages.at}); unset = keep forever. */
        Optional<Duration> messageTtl();
    }

    interface Metrics {

        /** How often lag / pending gauges are refreshed from Redis. */
        @WithDefault("10s")
        Duration refreshInterval();

        /** Redis < 7 has no group lag: count at most this many unread entries per partition (the gauge saturates). */
        @WithDefault("1000")
        int lagScanLimit();
    }

    interface Search {

        /** Hits per page when the request gives no {@code limit}. */
        @WithDefault("20")
        int defaultLimit();

        /** Largest accepted {@code limit}; larger values are clamped. */
        @WithDefault("50")
        int maxLimit();

        /**
         * Most candidate messages (all query terms present) checked per request: past it the page ends early, with a
         * {@code nextCursor} to go on from, so a query matching little in a large history stays bounded.
         */
        @WithDefault("2000")
        int maxCandidates();

        /** Longest accepted query, in characters; longer → 400. */
        @WithDefault("200")
        int maxQueryLength();
    }

    interface Media {

        /** Largest accepted upload, in bytes (20 MiB); larger → 413 {@code TOO_LARGE}. */
        @WithDefault("20971520")
        long maxBytes();

        /** Bytes one user may keep stored (1 GiB); an upload that would pass it → 413 {@code QUOTA_EXCEEDED}. */
        @WithDefault("1073741824")
        long quotaBytes();

        /** Accepted types (as sniffed from the bytes); anything else → 415. */
        @WithDefault("image/jpeg,image/png,image/gif,image/webp,audio/ogg,audio/mpeg,audio/mp4,audio/webm,video/mp4,"
                + "video/webm,application/pdf,application/zip,text/plain")
        java.util.List<String> allowedTypes();

        /**
         * Uploads no message refers to are removed this long after the upload (env
         * {@code HISTORY_MEDIA_UNREFERENCED_AFTER}); also how long chat-service may still attach one to a message
         * (the TTL of its {@code media:{id}} record in Redis).
         */
        @WithDefault("1d")
        Duration unreferencedAfter();

        /** How often the sweeper looks for unreferenced uploads (env {@code HISTORY_MEDIA_SWEEP_INTERVAL}). */
        @WithDefault("10m")
        Duration sweepInterval();

        /** Longest side of an image's thumbnail, in pixels (JPEG). */
        @WithDefault("320")
        int thumbnailSize();

        /** Images with more pixels than this get no thumbnail (the decoder would need too much memory). */
        @WithDefault("100000000")
        long thumbnailMaxPixels();
    }
}

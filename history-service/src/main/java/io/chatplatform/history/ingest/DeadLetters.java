package io.chatplatform.history.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dead-letter stream (default {@code chat:dlq}): each dead entry is re-added with its original fields
 * plus {@code reason}, {@code kind} (malformed | max-deliveries | rejected | conflict), {@code stream}, {@code id},
 * {@code group}, {@code consumer}, {@code deliveries} and {@code at} (epoch ms). Capped with MAXLEN ~.
 * An entry is added before it is acknowledged, so a crash in between can only add it twice.
 */
public class DeadLetters {

    public static final String MALFORMED = "malformed";
    public static final String MAX_DELIVERIES = "max-deliveries";
    public static final String REJECTED = "rejected";
    /** The entry contradicts what is stored (a reused desk ticket id): kept out on purpose, not a failure. */
    public static final String CONFLICT = "conflict";

    private final LogStreams redis;
    private final String stream;
    private final long maxLen;

    public DeadLetters(LogStreams redis, String stream, long maxLen) {
        this.redis = redis;
        this.stream = stream;
        this.maxLen = maxLen;
    }

    public String stream() {
        return stream;
    }

    public void send(String source, String group, String consumer, DeadLetter dead) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (dead.entry().fields() != null) {
            fields.putAll(dead.entry().fields());
        }
        fields.put("reason", dead.reason());
        fields.put("kind", dead.kind());
        fields.put("stream", source);
        fields.put("id", dead.entry().id());
        fields.put("group", group);
        fields.put("consumer", consumer);
        fields.put("deliveries", String.valueOf(dead.deliveries()));
        fields.put("at", String.valueOf(System.currentTimeMillis()));
        redis.add(stream, maxLen, fields);
    }

    /** An entry to dead-letter, why, and how often it had been delivered. */
    public record DeadLetter(LogEntry entry, String kind, String reason, int deliveries) {
    }
}

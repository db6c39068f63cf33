package io.chatplatform.history.ingest;

import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.chatplatform.history.store.HistoryCollections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;

/**
 * Dead letters, kept twice: durably in MongoDB (collection {@code dead_letters}, written first: Redis may lose
 * its data, and a dead letter is the only copy of an entry history could not store) and in the dead-letter
 * stream (default {@code chat:dlq}) for tools that read streams. Each holds the original fields plus
 * {@code reason}, {@code kind} (malformed | max-deliveries | rejected | conflict), {@code stream}, {@code id},
 * {@code group}, {@code consumer}, {@code deliveries} and {@code at} (epoch ms). The stream is capped with
 * MAXLEN ~; the collection is not (dead letters are rare; delete what was dealt with). The document's
 * {@code _id} is {@code <group>|<stream>|<entry id>|<digest of its fields>}, so writing one again (a crash
 * before the XACK) changes nothing there; the stream can only get it twice.
 */
public class DeadLetters {

    public static final String MALFORMED = "malformed";
    public static final String MAX_DELIVERIES = "max-deliveries";
    public static final String REJECTED = "rejected";
    /** The entry contradicts what is stored (a reused desk ticket id): kept out on purpose, not a failure. */
    public static final String CONFLICT = "conflict";

    private final LogStreams redis;
    private final HistoryCollections store;
    private final String stream;
    private final long maxLen;

    public DeadLetters(LogStreams redis, HistoryCollections store, String stream, long maxLen) {
        this.redis = redis;
        this.store = store;
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
        long at = System.currentTimeMillis();
        fields.put("at", String.valueOf(at));
        String key = group + "|" + source + "|" + dead.entry().id() + "|" + StreamAnchor.digest(dead.entry().fields());
        Document doc = new Document("_id", key);
        fields.forEach((k, v) -> {
            if (!"at".equals(k)) {
                doc.append(k, v);
            }
        });
        doc.append("deliveries", dead.deliveries()).append("at", new Date(at));
        try {
            store.deadLetters().replaceOne(Filters.eq("_id", key), doc, new ReplaceOptions().upsert(true));
        } catch (MongoException e) {
            throw new StoreUnavailableException("cannot store dead letter " + key + ": " + e.getMessage(), e);
        }
        redis.add(stream, maxLen, fields);
    }

    /** An entry to dead-letter, why, and how often it had been delivered. */
    public record DeadLetter(LogEntry entry, String kind, String reason, int deliveries) {
    }
}

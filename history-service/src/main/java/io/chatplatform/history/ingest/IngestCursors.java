package io.chatplatform.history.ingest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.history.store.MongoErrors;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * Durable cursors in collection {@code ingest_cursors}, one per (group, stream):
 * {@code {_id: "<group>|<stream>", group, stream, id: "<ms>-<seq>", updatedAt}}. The id is a low-water mark:
 * every entry up to it has been stored (or dead-lettered) and acknowledged. When the Redis group is gone,
 * it is recreated at this id, so nothing after it is lost and what is replayed is deduplicated by the
 * unique indexes. The cursor only moves forward (compare-and-set on the stored id).
 */
public class IngestCursors {

    private final HistoryCollections store;

    public IngestCursors(HistoryCollections store) {
        this.store = store;
    }

    static String key(String group, String stream) {
        return group + "|" + stream;
    }

    public Optional<StreamId> get(String stream, String group) {
        Document d = store.ingestCursors().find(Filters.eq("_id", key(group, stream))).first();
        return d == null || d.getString("id") == null ? Optional.empty() : Optional.of(StreamId.parse(d.getString("id")));
    }

    /** Moves the cursor to {@code to} unless it is already there or further. */
    public void advance(String stream, String group, StreamId to) {
        String key = key(group, stream);
        for (int attempt = 0; attempt < 5; attempt++) {
            Document current = store.ingestCursors().find(Filters.eq("_id", key)).first();
            if (current == null) {
                try {
                    store.ingestCursors().insertOne(new Document("_id", key).append("group", group)
                            .append("stream", stream).append("id", to.toString()).append("updatedAt", new Date()));
                    return;
                } catch (com.mongodb.MongoWriteException e) {
                    if (!MongoErrors.isDuplicateKey(e.getError().getCode())) {
                        throw e;
                    }
                    continue; // created concurrently: compare again
                }
            }
            String stored = current.getString("id");
            if (stored != null && StreamId.parse(stored).compareTo(to) >= 0) {
                return;
            }
            long matched = store.ingestCursors().updateOne(Filters.and(Filters.eq("_id", key), Filters.eq("id", stored)),
                    Updates.combine(Updates.set("id", to.toString()), Updates.set("updatedAt", new Date())))
                    .getMatchedCount();
            if (matched == 1) {
                return;
            }
        }
    }
}

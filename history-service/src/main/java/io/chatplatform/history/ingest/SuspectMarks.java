package io.chatplatform.history.ingest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.chatplatform.history.store.HistoryCollections;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/**
 * Which over-delivered entry was being stored alone when its consumer died (collection {@code ingest_suspects},
 * {@code _id} = {@code <group>|<stream>|<entry id>}). A mark is set just before a suspect is written on its own
 * and removed before it is acknowledged; a mark found when the entry is delivered again means the entry itself
 * stopped the consumer, whichever consumer takes it over. MongoDB rather than Redis: the mark must outlive the
 * consumer, and it is only read once MongoDB answers.
 */
public class SuspectMarks {

    private final HistoryCollections store;

    public SuspectMarks(HistoryCollections store) {
        this.store = store;
    }

    /** The ids among {@code ids} that carry a mark (their last attempt alone never finished). */
    Set<String> diedAlone(String stream, String group, List<String> ids) {
        List<String> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            keys.add(key(group, stream, id));
        }
        Set<String> died = new HashSet<>();
        for (Document d : store.ingestSuspects().find(Filters.in("_id", keys))) {
            died.add(d.getString("id"));
        }
        return died;
    }

    void mark(String stream, String group, String consumer, String id, int deliveries) {
        String key = key(group, stream, id);
        store.ingestSuspects().replaceOne(Filters.eq("_id", key), new Document("_id", key).append("stream", stream)
                .append("id", id).append("group", group).append("consumer", consumer).append("deliveries", deliveries)
                .append("at", new Date()), new ReplaceOptions().upsert(true));
    }

    void clear(String stream, String group, String id) {
        store.ingestSuspects().deleteOne(Filters.eq("_id", key(group, stream, id)));
    }

    private static String key(String group, String stream, String id) {
        return group + "|" + stream + "|" + id;
    }
}

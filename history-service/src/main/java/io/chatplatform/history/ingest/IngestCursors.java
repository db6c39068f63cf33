package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.history.store.MongoErrors;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Durable cursors in collection {@code ingest_cursors}, one per (group, stream):
 * {@code {_id: "<group>|<stream>", group, stream, id: "<ms>-<seq>", anchor: {id, digest}, updatedAt}}. The id
 * is a low-water mark: every entry up to it has been stored (or dead-lettered) and acknowledged. The anchor is
 * a real entry at or below it ({@link StreamAnchor}); {@link GroupStart} recreates a lost group at the id only
 * while the stream still holds that entry, else from 0 (replays are deduplicated by the unique indexes). The
 * cursor only moves forward (compare-and-set on the stored id).
 */
public class IngestCursors {

    static final String ID = "id";
    static final String ANCHOR = "anchor";
    static final String ANCHOR_ID = "id";
    static final String ANCHOR_DIGEST = "digest";

    private final HistoryCollections store;

    public IngestCursors(HistoryCollections store) {
        this.store = store;
    }

    static String key(String group, String stream) {
        return group + "|" + stream;
    }

    /** @param anchor null for a cursor written before anchors existed (or when no entry was left to anchor on) */
    public record Cursor(StreamId id, StreamAnchor anchor) {
    }

    public Optional<Cursor> cursor(String stream, String group) {
        Document d = store.ingestCursors().find(Filters.eq("_id", key(group, stream))).first();
        if (d == null || d.getString(ID) == null) {
            return Optional.empty();
        }
        Document a = d.get(ANCHOR, Document.class);
        StreamAnchor anchor = a == null || a.getString(ANCHOR_ID) == null || a.getString(ANCHOR_DIGEST) == null ? null
                : new StreamAnchor(StreamId.parse(a.getString(ANCHOR_ID)), a.getString(ANCHOR_DIGEST));
        return Optional.of(new Cursor(StreamId.parse(d.getString(ID)), anchor));
    }

    public Optional<StreamId> get(String stream, String group) {
        return cursor(stream, group).map(Cursor::id);
    }

    /** Moves the cursor to {@code to} unless it is already there or further. */
    public void advance(String stream, String group, StreamId to) {
        advance(stream, group, to, null);
    }

    /**
     * Moves the cursor to {@code to}, anchored on {@code anchor} (an entry at or below {@code to}, or null),
     * unless it is already there or further.
     */
    public void advance(String stream, String group, StreamId to, StreamAnchor anchor) {
        String key = key(group, stream);
        Document anchorDoc = anchor == null ? null
                : new Document(ANCHOR_ID, anchor.id().toString()).append(ANCHOR_DIGEST, anchor.digest());
        for (int attempt = 0; attempt < 5; attempt++) {
            Document current = store.ingestCursors().find(Filters.eq("_id", key)).first();
            if (current == null) {
                try {
                    Document d = new Document("_id", key).append("group", group).append("stream", stream)
                            .append(ID, to.toString()).append("updatedAt", new Date());
                    if (anchorDoc != null) {
                        d.append(ANCHOR, anchorDoc);
                    }
                    store.ingestCursors().insertOne(d);
                    return;
                } catch (com.mongodb.MongoWriteException e) {
                    if (!MongoErrors.isDuplicateKey(e.getError().getCode())) {
                        throw e;
                    }
                    continue; // created concurrently: compare again
                }
            }
            String stored = current.getString(ID);
            if (stored != null && StreamId.parse(stored).compareTo(to) >= 0) {
                return;
            }
            List<Bson> set = new ArrayList<>(List.of(Updates.set(ID, to.toString()), Updates.set("updatedAt", new Date())));
            set.add(anchorDoc == null ? Updates.unset(ANCHOR) : Updates.set(ANCHOR, anchorDoc));
            long matched = store.ingestCursors().updateOne(Filters.and(Filters.eq("_id", key), Filters.eq(ID, stored)),
                    Updates.combine(set)).getMatchedCount();
            if (matched == 1) {
                return;
            }
        }
    }
}

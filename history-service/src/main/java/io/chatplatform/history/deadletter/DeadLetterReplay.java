package io.chatplatform.history.deadletter;

import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.history.ingest.BatchWriter;
import io.chatplatform.history.ingest.Decoded;
import io.chatplatform.history.ingest.EntryDecoder;
import io.chatplatform.history.ingest.LogEntry;
import io.chatplatform.history.ingest.StoreUnavailableException;
import io.chatplatform.history.ingest.WriteResult;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

/**
 * Stores a dead letter's event after all, from its durable copy in {@code dead_letters}, through the ingest's own
 * {@link BatchWriter}: the same idempotent writes, so replaying twice (or replaying an entry that was stored after
 * all) stores it once. A replayed dead letter is kept, marked {@code replayedAt} / {@code replayResult}.
 */
@ApplicationScoped
public class DeadLetterReplay {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class);
    static final String STORED = "stored";
    static final String ALREADY_STORED = "already-stored";

    private final HistoryCollections store;
    private final BatchWriter writer;

    public DeadLetterReplay(HistoryCollections store) {
        this.store = store;
        this.writer = new BatchWriter(store);
    }

    /** @param kind, stream null: any */
    public List<DeadLetterView> list(String kind, String stream, int limit) {
        Bson filter = filter(kind, stream);
        try {
            List<DeadLetterView> views = new ArrayList<>();
            for (Document d : store.deadLetters().find(filter).sort(Sorts.descending("at")).limit(limit)) {
                views.add(DeadLetterView.of(d));
            }
            return views;
        } catch (MongoException e) {
            throw unavailable(e);
        }
    }

    public ReplayResult replay(String id) {
        Document doc;
        try {
            doc = store.deadLetters().find(Filters.eq("_id", id)).first();
        } catch (MongoException e) {
            throw unavailable(e);
        }
        if (doc == null) {
            throw ApiException.notFound("no such dead letter");
        }
        return replay(doc);
    }

    /** Replays every dead letter of one kind not replayed yet; entries that still cannot be stored are reported. */
    public List<ReplayResult> replayAll(String kind, String stream, int limit) {
        List<Document> docs;
        try {
            docs = store.deadLetters().find(Filters.and(filter(kind, stream), Filters.exists("replayedAt", false)))
                    .sort(Sorts.ascending("at")).limit(limit).into(new ArrayList<>());
        } catch (MongoException e) {
            throw unavailable(e);
        }
        List<ReplayResult> results = new ArrayList<>(docs.size());
        for (Document doc : docs) {
            try {
                results.add(replay(doc));
            } catch (ApiException e) {
                if (e.status() == 503) {
                    throw e;
                }
                results.add(new ReplayResult(doc.getString("_id"), "refused", e.getMessage()));
            }
        }
        return results;
    }

    private ReplayResult replay(Document doc) {
        String id = doc.getString("_id");
        Map<String, String> fields = new HashMap<>();
        fields.put(LogPartitions.EVENT_FIELD, doc.getString(LogPartitions.EVENT_FIELD));
        Decoded decoded = EntryDecoder.decode(new LogEntry(doc.getString("id"), fields));
        if (!(decoded instanceof Decoded.Accepted accepted)) {
            String why = decoded instanceof Decoded.Poison p ? p.reason() : "not an event history stores";
            throw new ApiException(422, "UNPROCESSABLE", "cannot be stored: " + why);
        }
        WriteResult result;
        try {
            result = writer.write(List.of(accepted));
        } catch (StoreUnavailableException e) {
            throw unavailable(e);
        }
        String entryId = accepted.entry().id();
        if (result.conflicts().containsKey(entryId)) {
            throw ApiException.conflict("still contradicts what is stored: " + result.conflicts().get(entryId));
        }
        if (result.rejected().containsKey(entryId)) {
            throw new ApiException(422, "UNPROCESSABLE", "still refused: " + result.rejected().get(entryId));
        }
        String outcome = result.duplicates() > 0 ? ALREADY_STORED : STORED;
        try {
            store.deadLetters().updateOne(Filters.eq("_id", id),
                    Updates.combine(Updates.set("replayedAt", new Date()), Updates.set("replayResult", outcome)));
        } catch (MongoException e) {
            LOG.warnf("dead letter %s replayed (%s) but not marked: %s", id, outcome, e.getMessage());
        }
        LOG.infof("dead letter %s replayed: %s", id, outcome);
        return new ReplayResult(id, outcome, null);
    }

    private static Bson filter(String kind, String stream) {
        List<Bson> parts = new ArrayList<>();
        if (kind != null) {
            parts.add(Filters.eq("kind", kind));
        }
        if (stream != null) {
            parts.add(Filters.eq("stream", stream));
        }
        return parts.isEmpty() ? new Document() : Filters.and(parts);
    }

    private static ApiException unavailable(RuntimeException e) {
        return ApiException.unavailable("MongoDB unavailable: " + e.getMessage(), 2);
    }
}

package io.chatplatform.history.ingest;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.WriteModel;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.history.message.MessageDocument;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.history.store.MongoErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Stores one batch of events: entries that contradict a stored desk ticket are kept out ({@link DeskOwnership}),
 * then messages first (bulk insert, unordered; a duplicate key is a replay, i.e.
 * success), then the derived documents (conversations, read markers, consultations) with idempotent
 * upserts, then the updates (edit, recall, react, hide) stored and folded into their messages ({@link MessageFold}). Running the same batch again, whole or in part, changes nothing: that is what makes
 * "acknowledge only after the write" exactly-once in the store.
 *
 * <p>MongoDB being unreachable or failing as a whole, and every per-document error that is not about the
 * document's content (a duplicate key aside), raises {@link StoreUnavailableException} (retry, no ack); a
 * write MongoDB refuses for its content ({@link MongoErrors#isContentError}) is reported per entry in
 * {@link WriteResult#rejected()}.
 */
public class BatchWriter {

    private static final Logger LOG = Logger.getLogger(BatchWriter.class);

    private final HistoryCollections store;
    private final DeskOwnership ownership;
    private final MessageFold fold;

    public BatchWriter(HistoryCollections store) {
        this.store = store;
        this.ownership = new DeskOwnership(store);
        this.fold = new MessageFold(store);
    }

    public WriteResult write(List<Decoded.Accepted> events) {
        if (events.isEmpty()) {
            return WriteResult.EMPTY;
        }
        try {
            Map<String, String> conflicts = ownership.conflicts(events);
            if (!conflicts.isEmpty()) {
                List<Decoded.Accepted> writable = new ArrayList<>(events.size());
                for (Decoded.Accepted e : events) {
                    if (!conflicts.containsKey(e.entry().id())) {
                        writable.add(e);
                    }
                }
                events = writable;
            }
            Map<String, String> rejected = new LinkedHashMap<>();
            int[] counts = insertMessages(events, rejected);
            List<Decoded.Accepted> stored = new ArrayList<>(events.size());
            for (Decoded.Accepted e : events) {
                if (!rejected.containsKey(e.entry().id())) {
                    stored.add(e);
                }
            }
            applyInOrder(store.conversations(), ConversationUpdates.build(stored), rejected);
            applyInOrder(store.readMarkers(), ReadMarkerUpdates.build(stored), rejected);
            applyInOrder(store.consultations(), ConsultationUpdates.build(stored), rejected);
            // after the conversations: a recall or edit folded now also fixes the last-message preview just written
            List<MessageEvent> messages = new ArrayList<>();
            List<UpdateEvent> updates = new ArrayList<>();
            for (Decoded.Accepted e : stored) {
                if (e.event() instanceof MessageEvent m) {
                    messages.add(m);
                } else if (e.event() instanceof UpdateEvent u) {
                    updates.add(u);
                }
            }
            fold.insertUpdates(updates);
            fold.fold(messages, updates);
            return new WriteResult(counts[0], counts[1], rejected, conflicts);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (MongoException e) {
            throw new StoreUnavailableException("MongoDB write failed: " + e.getMessage(), e);
        }
    }

    /** A per-document error that says nothing about the document (e.g. a shard that cannot be reached): retried. */
    private static StoreUnavailableException storeError(String what, BulkWriteError error) {
        return new StoreUnavailableException(what + " failed (" + error.getCode() + "): " + error.getMessage(), null);
    }

    /** @return {inserted, duplicates} */
    private int[] insertMessages(List<Decoded.Accepted> events, Map<String, String> rejected) {
        List<Decoded.Accepted> messages = new ArrayList<>();
        List<InsertOneModel<Document>> inserts = new ArrayList<>();
        for (Decoded.Accepted e : events) {
            if (e.event() instanceof MessageEvent m) {
                messages.add(e);
                inserts.add(new InsertOneModel<>(MessageDocument.of(m)));
            }
        }
        if (inserts.isEmpty()) {
            return new int[] {0, 0};
        }
        try {
            BulkWriteResult result = store.messages().bulkWrite(inserts, new BulkWriteOptions().ordered(false));
            return new int[] {result.getInsertedCount(), 0};
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                throw new StoreUnavailableException("write concern failed: " + e.getWriteConcernError().getMessage(), e);
            }
            List<Decoded.Accepted> duplicates = new ArrayList<>();
            for (BulkWriteError error : e.getWriteErrors()) {
                Decoded.Accepted entry = messages.get(error.getIndex());
                if (MongoErrors.isDuplicateKey(error.getCode())) {
                    duplicates.add(entry);
                } else if (!MongoErrors.isContentError(error.getCode())) {
                    throw storeError("insert into messages", error);
                } else {
                    rejected.put(entry.entry().id(), "rejected by MongoDB (" + error.getCode() + "): " + error.getMessage());
                }
            }
            int replays = classifyDuplicates(duplicates, rejected);
            // unordered: every insert without a write error went in (not the reply's count: the mongo-java-server
            // stand-in counts the failed inserts in it too)
            return new int[] {inserts.size() - e.getWriteErrors().size(), replays};
        }
    }

    /**
     * A duplicate key is a replay when the message itself (its msgId) is stored. Otherwise another message
     * already holds the same (conv, seq), e.g. after chat's seq counters were lost: that entry is rejected
     * rather than silently dropped.
     *
     * @return the number of replays
     */
    private int classifyDuplicates(List<Decoded.Accepted> duplicates, Map<String, String> rejected) {
        if (duplicates.isEmpty()) {
            return 0;
        }
        List<String> ids = new ArrayList<>();
        for (Decoded.Accepted d : duplicates) {
            ids.add(((MessageEvent) d.event()).msgId());
        }
        Set<Object> present = new HashSet<>();
        store.messages().find(Filters.in(MessageDocument.ID, ids)).projection(Projections.include(MessageDocument.ID))
                .forEach(doc -> present.add(doc.get(MessageDocument.ID)));
        int replays = 0;
        for (Decoded.Accepted d : duplicates) {
            MessageEvent m = (MessageEvent) d.event();
            if (present.contains(m.msgId())) {
                replays++;
                continue;
            }
            Document holder = store.messages().find(Filters.and(Filters.eq(MessageDocument.CONV, m.conv()),
                    Filters.eq(MessageDocument.SEQ, m.seq()))).projection(Projections.include(MessageDocument.ID)).first();
            if (holder == null) {
                throw new StoreUnavailableException("duplicate key on " + m.msgId() + " but no such document", null);
            }
            rejected.put(d.entry().id(), "seq conflict: " + m.conv() + " seq " + m.seq() + " is already message "
                    + holder.get(MessageDocument.ID));
        }
        return replays;
    }

    /**
     * Ordered bulk writes (an upsert must create a document before the conditional update that follows it).
     * A duplicate key on an upsert means a concurrent upsert created the document first: that write is run
     * once more (it now updates). A content error blames the write's entries and the rest continues; any other
     * error is the store's (retry).
     */
    private static void applyInOrder(MongoCollection<Document> collection, List<TrackedWrite> writes,
            Map<String, String> rejected) {
        int from = 0;
        int retriedAt = -1;
        while (from < writes.size()) {
            List<WriteModel<Document>> models = new ArrayList<>(writes.size() - from);
            for (TrackedWrite w : writes.subList(from, writes.size())) {
                models.add(w.model());
            }
            try {
                collection.bulkWrite(models, new BulkWriteOptions().ordered(true));
                return;
            } catch (MongoBulkWriteException e) {
                if (e.getWriteConcernError() != null || e.getWriteErrors().isEmpty()) {
                    throw new StoreUnavailableException("bulk write on " + collection.getNamespace() + " failed", e);
                }
                BulkWriteError error = e.getWriteErrors().get(0);
                int failed = from + error.getIndex();
                if (MongoErrors.isDuplicateKey(error.getCode()) && retriedAt != failed) {
                    retriedAt = failed;
                    from = failed;
                    continue;
                }
                if (!MongoErrors.isContentError(error.getCode())) {
                    throw storeError("bulk write on " + collection.getNamespace().getCollectionName(), error);
                }
                String reason = "refused by MongoDB on " + collection.getNamespace().getCollectionName() + " ("
                        + error.getCode() + "): " + error.getMessage();
                LOG.warn(reason);
                for (String id : writes.get(failed).entryIds()) {
                    rejected.putIfAbsent(id, reason);
                }
                from = failed + 1;
            }
        }
    }
}

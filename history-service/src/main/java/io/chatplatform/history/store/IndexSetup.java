package io.chatplatform.history.store;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.chatplatform.history.message.MessageDocument;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Creates the indexes history relies on. Idempotent: creating an index that exists with the same keys and
 * options is a no-op, so every replica runs this at startup. The unique {@code messages {conv, seq}} index
 * is what makes replays harmless and must exist before the first insert; the sparse {@code convSeq} index
 * serves pages as exact lookups (unique where MongoDB allows it: mongo-java-server uses only unique indexes).
 */
public final class IndexSetup {

    private static final Logger LOG = Logger.getLogger(IndexSetup.class);

    public static final String MESSAGES_CONV_SEQ = "conv_seq";
    public static final String MESSAGES_CONV_SEQ_KEY = "conv_seq_key";
    public static final String MESSAGES_TTL = "at_ttl";
    public static final String MESSAGES_SEARCH = "search_terms";
    public static final String UPDATES_TTL = "updates_at_ttl";

    private IndexSetup() {
    }

    public static void ensureIndexes(HistoryCollections store, Optional<Duration> messageTtl) {
        MongoCollection<Document> messages = store.messages();
        messages.createIndex(Indexes.ascending("conv", "seq"), new IndexOptions().name(MESSAGES_CONV_SEQ).unique(true));
        // exact page lookups (MessageQueries); sparse: documents from before the field existed do not have it
        try {
            messages.createIndex(Indexes.ascending(MessageDocument.CONV_SEQ),
                    new IndexOptions().name(MESSAGES_CONV_SEQ_KEY).unique(true).sparse(true));
        } catch (MongoCommandException e) {
            // a collection sharded on {conv, seq} refuses a unique index that does not start with the shard key;
            // MongoDB serves the lookups from a plain index just as well ({conv, seq} stays the uniqueness guard)
            LOG.infof("unique index %s refused (%s); creating it non-unique", MESSAGES_CONV_SEQ_KEY, e.getErrorCodeName());
            messages.createIndex(Indexes.ascending(MessageDocument.CONV_SEQ),
                    new IndexOptions().name(MESSAGES_CONV_SEQ_KEY).sparse(true));
        }
        ensureTtl(store, messageTtl);
        // search: multikey on the terms, then the conversation ($in of the caller's) and newest first
        messages.createIndex(Indexes.compoundIndex(Indexes.ascending(MessageDocument.TERMS, MessageDocument.CONV),
                Indexes.descending(MessageDocument.TS)), new IndexOptions().name(MESSAGES_SEARCH));
        ensureUpdatesTtl(store, messageTtl);

        // "my conversations, newest activity first": members branch and (for groups) _id branch of the $or
        store.conversations().createIndex(Indexes.compoundIndex(Indexes.ascending("members"),
                Indexes.descending("updatedAt", "_id")), new IndexOptions().name("members_activity"));
        store.conversations().createIndex(Indexes.descending("updatedAt", "_id"), new IndexOptions().name("activity"));

        // the fold reads a message's updates; after= pages read a conversation's updates by seq
        store.updates().createIndex(Indexes.ascending("msgId"), new IndexOptions().name("msg"));
        store.updates().createIndex(Indexes.ascending("conv", "seq"), new IndexOptions().name("conv_seq"));
        store.messages().createIndex(Indexes.ascending("conv", "replyTo.msgId"),
                new IndexOptions().name("conv_reply").sparse(true));

        store.readMarkers().createIndex(Indexes.ascending("uid", "conv"), new IndexOptions().name("uid_conv"));
        // media access: "a member of a conversation holding a message with that media" (media package)
        store.messages().createIndex(Indexes.ascending("media.id"), new IndexOptions().name("media_id").sparse(true));
        store.database().getCollection("media.files").createIndex(Indexes.ascending("metadata.owner"), new IndexOptions().name("owner"));

        store.consultations().createIndex(Indexes.descending("createdAt", "_id"), new IndexOptions().name("created"));
        store.consultations().createIndex(Indexes.compoundIndex(Indexes.ascending("customer"),
                Indexes.descending("createdAt", "_id")), new IndexOptions().name("customer_created"));
        store.deskReplies().createIndex(Indexes.ascending("shortcut"), new IndexOptions().name("shortcut").unique(true));
        store.consultations().createIndex(Indexes.compoundIndex(Indexes.ascending("state"),
                Indexes.descending("createdAt", "_id")), new IndexOptions().name("state_created"));
    }

    /**
     * The same retention for {@code updates.at} (an edit or reaction goes with the messages of its time). A changed value
     * recreates the index (updates are small; no collMod subtleties needed).
     */
    private static void ensureUpdatesTtl(HistoryCollections store, Optional<Duration> ttl) {
        MongoCollection<Document> updates = store.updates();
        Document existing = null;
        for (Document index : updates.listIndexes()) {
            if (UPDATES_TTL.equals(index.getString("name"))) {
                existing = index;
            }
        }
        if (existing != null && (ttl.isEmpty() || !(existing.get("expireAfterSeconds") instanceof Number n)
                || n.longValue() != ttl.get().toSeconds())) {
            updates.dropIndex(UPDATES_TTL);
            existing = null;
        }
        if (existing == null && ttl.isPresent()) {
            updates.createIndex(Indexes.ascending("at"),
                    new IndexOptions().name(UPDATES_TTL).expireAfter(ttl.get().toSeconds(), TimeUnit.SECONDS));
        }
    }

    /**
     * Retention: a TTL index on {@code messages.at}. A changed retention is applied with {@code collMod} (no
     * rebuild on MongoDB), or by dropping and recreating the index where collMod is not supported; switching
     * retention off drops the index.
     */
    private static void ensureTtl(HistoryCollections store, Optional<Duration> ttl) {
        MongoCollection<Document> messages = store.messages();
        Document existing = null;
        for (Document index : messages.listIndexes()) {
            if (MESSAGES_TTL.equals(index.getString("name"))) {
                existing = index;
            }
        }
        if (ttl.isEmpty()) {
            if (existing != null) {
                LOG.info("message retention is off: dropping TTL index " + MESSAGES_TTL);
                messages.dropIndex(MESSAGES_TTL);
            }
            return;
        }
        long seconds = ttl.get().toSeconds();
        if (existing == null) {
            messages.createIndex(Indexes.ascending("at"), new IndexOptions().name(MESSAGES_TTL).expireAfter(seconds, TimeUnit.SECONDS));
            return;
        }
        Object current = existing.get("expireAfterSeconds");
        if (current instanceof Number n && n.longValue() == seconds) {
            return;
        }
        LOG.infof("message retention changed from %s s to %d s", current, seconds);
        try {
            store.database().runCommand(new Document("collMod", HistoryCollections.MESSAGES)
                    .append("index", new Document("name", MESSAGES_TTL).append("expireAfterSeconds", seconds)));
        } catch (MongoCommandException e) {
            messages.dropIndex(MESSAGES_TTL);
            messages.createIndex(Indexes.ascending("at"), new IndexOptions().name(MESSAGES_TTL).expireAfter(seconds, TimeUnit.SECONDS));
        }
        Document after = null;
        for (Document index : messages.listIndexes()) {
            if (MESSAGES_TTL.equals(index.getString("name"))) {
                after = index;
            }
        }
        if (after == null || !(after.get("expireAfterSeconds") instanceof Number m) || m.longValue() != seconds) {
            messages.dropIndex(MESSAGES_TTL); // collMod answered ok but did not apply it
            messages.createIndex(Indexes.ascending("at"), new IndexOptions().name(MESSAGES_TTL).expireAfter(seconds, TimeUnit.SECONDS));
        }
    }
}

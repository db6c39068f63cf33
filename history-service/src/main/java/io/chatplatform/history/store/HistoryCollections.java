package io.chatplatform.history.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;

/**
 * The history database and its collections. Documents are plain {@link Document}s built and read by the
 * feature packages' {@code *Document} classes: no POJO codecs, nothing Quarkus cannot see at build time.
 */
public final class HistoryCollections {

    public static final String MESSAGES = "messages";
    public static final String CONVERSATIONS = "conversations";
    public static final String READ_MARKERS = "read_markers";
    public static final String UPDATES = "updates";
    public static final String CONSULTATIONS = "consultations";
    public static final String INGEST_CURSORS = "ingest_cursors";
    public static final String DEAD_LETTERS = "dead_letters";
    public static final String INGEST_SUSPECTS = "ingest_suspects";
    public static final String DESK_REPLIES = "desk_replies";

    private final MongoDatabase database;

    public HistoryCollections(MongoDatabase database) {
        this.database = database;
    }

    public MongoDatabase database() {
        return database;
    }

    public MongoCollection<Document> messages() {
        return database.getCollection(MESSAGES);
    }

    /** Edits, recalls, reactions and hides of messages (see {@code lifecycle.UpdateDocument}). */
    public MongoCollection<Document> updates() {
        return database.getCollection(UPDATES);
    }

    public MongoCollection<Document> conversations() {
        return database.getCollection(CONVERSATIONS);
    }

    public MongoCollection<Document> readMarkers() {
        return database.getCollection(READ_MARKERS);
    }

    public MongoCollection<Document> consultations() {
        return database.getCollection(CONSULTATIONS);
    }

    /** The desk's canned replies (team-wide). */
    public MongoCollection<Document> deskReplies() {
        return database.getCollection(DESK_REPLIES);
    }

    public MongoCollection<Document> ingestCursors() {
        return database.getCollection(INGEST_CURSORS);
    }

    /** The durable copy of the dead-letter stream (Redis may lose the stream). */
    public MongoCollection<Document> deadLetters() {
        return database.getCollection(DEAD_LETTERS);
    }

    /** Over-delivered entries being stored alone (see the ingest's {@code SuspectMarks}). */
    public MongoCollection<Document> ingestSuspects() {
        return database.getCollection(INGEST_SUSPECTS);
    }

    /** A cheap round trip to the server; throws when it cannot be reached. */
    public void ping() {
        database.runCommand(new Document("ping", 1));
    }
}

package io.chatplatform.localstack;

import static io.chatplatform.localstack.StoreAssertions.assertNotWellKnown;
import static io.chatplatform.localstack.StoreAssertions.newTestDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class EmbeddedMongoTest {

    @Test
    void uniqueIndexRejectsADuplicateWithError11000() {
        int port;
        try (EmbeddedMongo mongo = EmbeddedMongo.builder().start();
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            port = mongo.port();
            assertNotWellKnown(port, 27017);
            assertEquals("mongodb://127.0.0.1:" + port, mongo.connectionString());
            MongoCollection<Document> messages = client.getDatabase("chat").getCollection("messages");
            messages.createIndex(Indexes.ascending("clientMessageId"), new IndexOptions().unique(true));
            messages.insertOne(new Document("clientMessageId", "m-1").append("text", "hi"));
            MongoWriteException duplicate = assertThrows(MongoWriteException.class,
                    () -> messages.insertOne(new Document("clientMessageId", "m-1").append("text", "again")));
            assertEquals(11000, duplicate.getCode());
            assertEquals(ErrorCategory.DUPLICATE_KEY, ErrorCategory.fromErrorCode(duplicate.getCode()));
            assertEquals(1, messages.countDocuments());
        }
        assertFalse(Ports.isListening(port), "port freed");
    }

    @Test
    void h2BackendKeepsDataAcrossRestarts() {
        Path dir = newTestDir("mongo");
        try (EmbeddedMongo mongo = EmbeddedMongo.builder().dataDir(dir).start();
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            client.getDatabase("chat").getCollection("messages").insertOne(new Document("text", "kept"));
        }
        assertTrue(Files.exists(dir.resolve(EmbeddedMongo.DATA_FILE)), "H2 file written");
        try (EmbeddedMongo mongo = EmbeddedMongo.builder().dataDir(dir).start();
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            Document found = client.getDatabase("chat").getCollection("messages").find().first();
            assertEquals("kept", found.getString("text"));
        }
        ScratchDirs.deleteQuietly(dir);
    }
}

package io.chatplatform.history.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.chatplatform.localstack.StoresTestResource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Index setup is idempotent and follows the retention setting (real Mongo wire protocol). */
class IndexSetupTest {

    @Test
    void idempotentAndFollowsRetention() {
        try (MongoClient client = MongoClients.create(StoresTestResource.mongoConnectionString())) {
            String db = "index_test_" + ThreadLocalRandom.current().nextInt(1_000_000);
            HistoryCollections store = new HistoryCollections(client.getDatabase(db));
            try {
                IndexSetup.ensureIndexes(store, Optional.empty());
                IndexSetup.ensureIndexes(store, Optional.empty());
                assertTrue(index(store, IndexSetup.MESSAGES_CONV_SEQ).getBoolean("unique"));
                Document key = index(store, IndexSetup.MESSAGES_CONV_SEQ_KEY);
                assertTrue(key.getBoolean("unique"));
                assertTrue(key.getBoolean("sparse"), "documents stored before convSeq existed do not have it");
                assertEquals(null, index(store, IndexSetup.MESSAGES_TTL));

                IndexSetup.ensureIndexes(store, Optional.of(Duration.ofDays(30)));
                assertEquals(30L * 86_400, ((Number) index(store, IndexSetup.MESSAGES_TTL).get("expireAfterSeconds")).longValue());
                IndexSetup.ensureIndexes(store, Optional.of(Duration.ofDays(30)));
                IndexSetup.ensureIndexes(store, Optional.of(Duration.ofDays(7)));
                assertEquals(7L * 86_400, ((Number) index(store, IndexSetup.MESSAGES_TTL).get("expireAfterSeconds")).longValue());

                IndexSetup.ensureIndexes(store, Optional.empty());
                assertEquals(null, index(store, IndexSetup.MESSAGES_TTL), "retention off drops the TTL index");
            } finally {
                try {
                    client.getDatabase(db).drop();
                } catch (RuntimeException e) {
                    // mongo-java-server cannot drop a database after one of its indexes was dropped; cleanup only
                }
            }
        }
    }

    private static Document index(HistoryCollections store, String name) {
        for (Document index : store.messages().listIndexes()) {
            if (name.equals(index.getString("name"))) {
                return index;
            }
        }
        return null;
    }
}

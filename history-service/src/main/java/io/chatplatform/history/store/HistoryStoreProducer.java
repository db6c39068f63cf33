package io.chatplatform.history.store;

import com.mongodb.client.MongoClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The history database named by {@code quarkus.mongodb.database} on the default Mongo client. */
public class HistoryStoreProducer {

    @Produces
    @Singleton
    HistoryCollections collections(MongoClient client,
            @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        return new HistoryCollections(client.getDatabase(database));
    }
}

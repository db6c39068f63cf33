package io.chatplatform.history.ingest;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.history.store.IndexSetup;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A MongoDB server of the test's own (mongo-java-server over the wire) whose inserts into {@code messages} can be
 * made slow, or answered the way a mongos answers when a shard cannot be reached: every document of the insert
 * gets a per-document write error with a code that says nothing about the document.
 */
final class FaultyMongo implements AutoCloseable {

    /** FailedToSatisfyReadPreference: what a mongos reports per document when the shard's primary is unreachable. */
    static final int SHARD_UNREACHABLE = 133;

    volatile int insertErrorCode;
    volatile long insertDelayMs;
    private final MongoServer server;
    private final MongoClient client;
    final HistoryCollections store;

    FaultyMongo() {
        server = new MongoServer(new MemoryBackend() {
            @Override
            public Document handleCommand(Channel channel, String database, String command, Document query) {
                if ("insert".equals(command) && "messages".equals(query.get("insert"))) {
                    sleep(insertDelayMs);
                    int code = insertErrorCode;
                    if (code != 0) {
                        List<Document> errors = new ArrayList<>();
                        int n = ((List<?>) query.get("documents")).size();
                        for (int i = 0; i < n; i++) {
                            errors.add(new Document("index", i).append("code", code)
                                    .append("errmsg", "Could not find host matching read preference { mode: \"primary\" } for set shard-2"));
                        }
                        return new Document("n", 0).append("writeErrors", errors).append("ok", 1.0);
                    }
                }
                return super.handleCommand(channel, database, command, query);
            }
        });
        java.net.InetSocketAddress address = server.bind();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort()
                + "/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000&socketTimeoutMS=10000");
        store = new HistoryCollections(client.getDatabase("faulty_test"));
        IndexSetup.ensureIndexes(store, Optional.empty());
    }

    private static void sleep(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}

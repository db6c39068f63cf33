package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.redis.StreamId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.history.store.IndexSetup;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * MongoDB goes away for a while (its own mongo-java-server, stopped and started again on the same port with
 * the same data): nothing is acknowledged or dead-lettered meanwhile, nobody takes over the entries of the
 * consumers that are waiting for it, and everything lands once it is back.
 */
@QuarkusTest
class MongoOutageTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    @Test
    void nothingIsAcknowledgedWhileMongoIsDownAndEverythingLandsAfter() throws Exception {
        // consumers outage-1 and outage-2 run throughout; claim-idle 3 s
        MemoryBackend backend = new MemoryBackend() {
            @Override
            public void close() {
                // keep the data across the simulated outage
            }
        };
        int port = freePort();
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port
                + "/?serverSelectionTimeoutMS=300&connectTimeoutMS=300&socketTimeoutMS=2000");
        HistoryCollections outageStore = new HistoryCollections(client.getDatabase("outage_test"));
        IndexSetup.ensureIndexes(outageStore, Optional.empty());

        IngestFixture fx = new IngestFixture(redis, outageStore);
        String stream = TestLog.privateStream();
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        ConsumerSettings settings = IngestFixture.settings("outage-1").withBatchSize(400)
                .withClaim(Duration.ofSeconds(3), Duration.ofMillis(100));
        MongoServer restarted = null;
        try {
            PartitionConsumer first = fx.start(stream, settings);
            PartitionConsumer second = fx.start(stream, settings.withConsumerName("outage-2"));
            TestLog.append(raw, stream, TestLog.directMessages(a, b, 1, 300));
            Eventually.await(Duration.ofSeconds(20), "first 300 stored", () -> fx.messages(conv) == 300 && fx.pending(stream) == 0);
            String lastBeforeOutage = fx.lastId(stream);

            server.shutdownNow(); // MongoDB is gone
            TestLog.append(raw, stream, TestLog.directMessages(a, b, 301, 1_000));
            Eventually.await(Duration.ofSeconds(10), "a consumer waits for MongoDB with entries in hand",
                    () -> fx.pending(stream) > 0 && (first.state() == PartitionConsumer.State.RETRYING
                            || second.state() == PartitionConsumer.State.RETRYING));
            // meanwhile an idle consumer would take over entries idle > claim-idle: play it with the very same
            // XAUTOCLAIM for 5 s; the waiting consumers keep their entries fresh, so it never gets any
            long until = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < until) {
                LogStreams.Claimed stolen = fx.streams.autoClaim(stream, IngestFixture.GROUP, "idle-thief",
                        settings.claimIdle(), "0-0", 1_000);
                assertTrue(stolen.entries().isEmpty(), "an idle consumer took over entries of a live one");
                Thread.sleep(100);
            }

            // nothing acknowledged: each of the 700 entries is still pending or not even delivered yet
            List<String> outageIds = redis.stream(String.class)
                    .xrange(stream, StreamRange.of("(" + lastBeforeOutage, "+")).stream().map(m -> m.id()).toList();
            assertEquals(700, outageIds.size());
            StreamId delivered = fx.streams.groupInfo(stream, IngestFixture.GROUP).orElseThrow().lastDelivered();
            List<PendingMessage> held = redis.stream(String.class).xpending(stream, IngestFixture.GROUP,
                    StreamRange.of("-", "+"), 1_000);
            java.util.Set<String> heldIds = new java.util.HashSet<>();
            held.forEach(p -> heldIds.add(p.getMessageId()));
            for (String id : outageIds) {
                assertTrue(heldIds.contains(id) || StreamId.parse(id).compareTo(delivered) > 0,
                        "entry " + id + " was acknowledged while MongoDB was down");
            }
            assertEquals(held.size(), heldIds.size());
            assertTrue(fx.deadLetters().isEmpty(), "an outage never dead-letters");
            for (PendingMessage p : held) {
                assertEquals(1, p.getDeliveryCount(), "kept by its consumer (XCLAIM JUSTID), never taken over");
                assertTrue(p.getConsumer().equals("outage-1") || p.getConsumer().equals("outage-2"), p.getConsumer());
            }

            restarted = new MongoServer(backend); // MongoDB is back, same port, same data
            bind(restarted, port);
            Eventually.await(Duration.ofSeconds(30), () -> "all stored after the outage: " + fx.messages(conv),
                    () -> fx.messages(conv) == 1_000 && fx.pending(stream) == 0);
            assertEquals(1_000, outageStore.messages().countDocuments(Filters.eq("conv", conv)));
            assertEquals(1_000L, fx.seqs(conv).last());
            assertTrue(fx.deadLetters().isEmpty());
            assertTrue(fx.counter("history.ingest.store.failures") > 0);
            Eventually.await(Duration.ofSeconds(5), "consumers running again",
                    () -> first.state() == PartitionConsumer.State.RUNNING && second.state() == PartitionConsumer.State.RUNNING);
        } finally {
            fx.close(stream);
            client.close();
            if (restarted != null) {
                restarted.shutdownNow();
            }
        }
    }

    private static void bind(MongoServer server, int port) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                server.bind("127.0.0.1", port);
                return;
            } catch (RuntimeException e) {
                if (attempt == 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}

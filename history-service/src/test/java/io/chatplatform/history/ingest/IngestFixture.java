package io.chatplatform.history.ingest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.chatplatform.history.message.MessageDocument;
import io.chatplatform.history.store.HistoryCollections;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.Document;

/**
 * Builds real partition consumers (real Redis, real Mongo wire protocol) outside the application's own
 * ingest, for streams no one else reads, so a test controls every consumer of its stream.
 */
final class IngestFixture {

    static final String GROUP = "history";

    final RedisDataSource redis;
    final HistoryCollections store;
    final LogStreams streams;
    final String deadLetterStream = "test:dlq:" + ThreadLocalRandom.current().nextInt(1_000_000_000);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final IngestMetrics metrics = new IngestMetrics(meters);
    private final List<PartitionConsumer> started = new ArrayList<>();
    final IngestParts parts;

    IngestFixture(RedisDataSource redis, HistoryCollections store) {
        this.redis = redis;
        this.store = store;
        this.streams = new LogStreams(redis);
        this.parts = IngestParts.of(streams, store, new DeadLetters(streams, store, deadLetterStream, 10_000), metrics);
    }

    /** Fast settings: short block, quick retries, cursor written after every batch. */
    static ConsumerSettings settings(String consumerName) {
        return new ConsumerSettings(GROUP, consumerName, 500, Duration.ofMillis(200), Duration.ofSeconds(60),
                Duration.ofSeconds(15), 10, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ZERO, Duration.ofHours(24));
    }

    PartitionConsumer consumer(String stream, ConsumerSettings settings) {
        return consumer(stream, settings, IngestHooks.NONE);
    }

    PartitionConsumer consumer(String stream, ConsumerSettings settings, IngestHooks hooks) {
        PartitionConsumer consumer = new PartitionConsumer(stream, settings, parts, hooks);
        started.add(consumer);
        return consumer;
    }

    PartitionConsumer start(String stream, ConsumerSettings settings, IngestHooks hooks) {
        PartitionConsumer consumer = consumer(stream, settings, hooks);
        consumer.start();
        return consumer;
    }

    /** A consumer whose process dies (like a crash) whenever it writes a batch holding {@code killer}'s event. */
    PartitionConsumer startKilledBy(String stream, ConsumerSettings settings, String killer) {
        BatchWriter dying = new BatchWriter(store) {
            @Override
            public WriteResult write(List<Decoded.Accepted> events) {
                if (events.stream().anyMatch(e -> e.entry().event().contains(killer))) {
                    throw new Killed("while storing " + killer);
                }
                return super.write(events);
            }
        };
        PartitionConsumer consumer = new PartitionConsumer(stream, settings, new IngestParts(parts.redis(), parts.cursors(),
                dying, parts.deadLetters(), parts.suspects(), parts.claims(), parts.metrics()), IngestHooks.NONE);
        started.add(consumer);
        consumer.start();
        return consumer;
    }

    /**
     * Restarts consumers killed by {@code killer} (as a supervisor restarts a crashed process) until {@code done}.
     *
     * @return how many times a consumer died
     */
    int runUntil(String stream, ConsumerSettings settings, String killer, java.util.function.BooleanSupplier done,
            Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        int deaths = 0;
        PartitionConsumer c = startKilledBy(stream, settings, killer);
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not done after " + timeout + " and " + deaths + " deaths");
            }
            if (c.state() == PartitionConsumer.State.FAILED && !c.isAlive()) {
                deaths++;
                c = startKilledBy(stream, settings, killer);
            }
            Thread.sleep(20);
        }
        return deaths;
    }

    PartitionConsumer start(String stream, ConsumerSettings settings) {
        return start(stream, settings, IngestHooks.NONE);
    }

    /** Stops every consumer this fixture started and deletes the test's streams. */
    void close(String... streamKeys) throws InterruptedException {
        for (PartitionConsumer c : started) {
            c.stop();
        }
        for (PartitionConsumer c : started) {
            c.awaitStop(10_000);
        }
        parts.claims().close();
        List<String> keys = new ArrayList<>(List.of(streamKeys));
        keys.add(deadLetterStream);
        redis.key().del(keys.toArray(String[]::new));
    }

    long messages(String conv) {
        return store.messages().countDocuments(Filters.eq(MessageDocument.CONV, conv));
    }

    TreeSet<Long> seqs(String conv) {
        TreeSet<Long> seqs = new TreeSet<>();
        for (Document d : store.messages().find(Filters.eq(MessageDocument.CONV, conv))) {
            seqs.add(((Number) d.get(MessageDocument.SEQ)).longValue());
        }
        return seqs;
    }

    long pending(String stream) {
        return streams.pendingSummary(stream, GROUP).count();
    }

    Map<String, Long> pendingByConsumer(String stream) {
        return streams.pendingSummary(stream, GROUP).consumers();
    }

    List<StreamMessage<String, String, String>> deadLetters() {
        return redis.stream(String.class).xrange(deadLetterStream, StreamRange.of("-", "+"));
    }

    /** The durable copies (collection dead_letters) of the dead letters from {@code stream}, oldest entry first. */
    List<Document> storedDeadLetters(String stream) {
        return store.deadLetters().find(Filters.eq("stream", stream)).sort(Sorts.ascending("id")).into(new ArrayList<>());
    }

    String lastId(String stream) {
        return redis.stream(String.class).xrevrange(stream, StreamRange.of("+", "-"), 1).get(0).id();
    }

    double counter(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Thrown by hooks to kill a consumer on the spot, like a crashed process. */
    static final class Killed extends Error {
        Killed(String where) {
            super("killed " + where, null, false, false);
        }
    }
}

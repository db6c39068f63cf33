package io.chatplatform.history.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counters of the consumer (Prometheus names in brackets): {@code history.ingest.events} by type
 * [history_ingest_events_total], {@code history.ingest.messages.inserted} [..._total],
 * {@code history.ingest.messages.duplicate}, {@code history.ingest.dead.lettered} by kind,
 * {@code history.ingest.missing}, {@code history.ingest.store.failures}, {@code history.ingest.group.created} by
 * start point ({@code cursor} | {@code start}), and the timer
 * {@code history.ingest.batch} [history_ingest_batch_seconds].
 */
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter inserted;
    private final Counter duplicates;
    private final Counter missing;
    private final Counter storeFailures;
    private final Timer batch;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.inserted = Counter.builder("history.ingest.messages.inserted")
                .description("Messages newly stored in MongoDB").register(registry);
        this.duplicates = Counter.builder("history.ingest.messages.duplicate")
                .description("Message events that were already stored (replays)").register(registry);
        this.missing = Counter.builder("history.ingest.missing")
                .description("Pending entries no longer in the stream (trimmed before they were stored)").register(registry);
        this.storeFailures = Counter.builder("history.ingest.store.failures")
                .description("Batch writes that failed because MongoDB was unavailable (retried)").register(registry);
        this.batch = Timer.builder("history.ingest.batch")
                .description("Time to store and acknowledge one batch").register(registry);
        // visible at 0 before the first occurrence, so alerts and rates work from the start
        for (String kind : new String[] {DeadLetters.MALFORMED, DeadLetters.MAX_DELIVERIES, DeadLetters.REJECTED,
                DeadLetters.CONFLICT}) {
            deadLettered(kind, 0);
        }
        for (String type : new String[] {"message", "read", "desk", "unknown"}) {
            eventCounter(type);
        }
    }

    private Counter eventCounter(String type) {
        return Counter.builder("history.ingest.events").description("Log entries consumed, by event type")
                .tag("type", type).register(registry);
    }

    private void deadLettered(String kind, int count) {
        Counter.builder("history.ingest.dead.lettered").description("Entries moved to the dead-letter stream")
                .tag("kind", kind).register(registry).increment(count);
    }

    public void events(String type, int count) {
        if (count > 0) {
            eventCounter(type).increment(count);
        }
    }

    public void inserted(int count) {
        inserted.increment(count);
    }

    public void duplicates(int count) {
        duplicates.increment(count);
    }

    public void missing(int count) {
        missing.increment(count);
    }

    public void deadLettered(String kind) {
        deadLettered(kind, 1);
    }

    /** @param from {@code cursor} (the stream continued the durable cursor) or {@code start} (created at 0) */
    public void groupCreated(String from) {
        Counter.builder("history.ingest.group.created").description("Consumer groups (re)created by history, by start point")
                .tag("from", from).register(registry).increment();
    }

    public void storeFailure() {
        storeFailures.increment();
    }

    public Timer batch() {
        return batch;
    }
}

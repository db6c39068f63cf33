package io.chatplatform.history.ingest;

import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.history.ingest.DeadLetters.DeadLetter;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Handles one delivered batch, from read to XACK, while {@link ClaimKeeper} keeps it claimed: poison is
 * dead-lettered at once; the events are written ({@link BatchWriter}, through {@link StoreRetry}); entries
 * MongoDB refuses for their content are dead-lettered; then everything is acknowledged. Nothing unwritten is
 * ever acknowledged.
 *
 * <p><b>Suspects.</b> Entries delivered more than max-deliveries times were in batches that never got stored,
 * but usually only one of them is to blame. They are stored one by one before anything is dead-lettered: each
 * gets a {@link SuspectMarks mark} and is written and acknowledged alone. A suspect whose write fails alone
 * (other than MongoDB being unavailable) is dead-lettered at once; one found still marked when delivered again
 * stopped the consumer while it was being stored alone and is dead-lettered ({@code max-deliveries}). The
 * others are stored exactly once.
 */
final class BatchProcessor {

    private static final Logger LOG = Logger.getLogger(BatchProcessor.class);

    private final String stream;
    private final ConsumerSettings settings;
    private final IngestParts parts;
    private final StoreRetry retry;
    private final IngestHooks hooks;

    BatchProcessor(String stream, ConsumerSettings settings, IngestParts parts, StoreRetry retry, IngestHooks hooks) {
        this.stream = stream;
        this.settings = settings;
        this.parts = parts;
        this.retry = retry;
        this.hooks = hooks;
    }

    void process(DeliveryReader.Delivery delivery) {
        Timer.Sample timing = Timer.start();
        List<LogEntry> entries = delivery.entries();
        hooks.afterRead(stream, entries);
        List<String> ids = new ArrayList<>(entries.size());
        entries.forEach(e -> ids.add(e.id()));
        try (ClaimKeeper.Hold held = parts.claims().hold(stream, settings.group(), settings.consumerName(),
                settings.claimIdle(), ids)) {
            Map<String, Integer> deliveries = delivery.redelivered()
                    ? parts.redis().deliveryCounts(stream, settings.group(), settings.consumerName(), ids.get(0),
                            ids.get(ids.size() - 1), ids.size() * 4 + 100)
                    : Map.of();
            BatchTriage triage = BatchTriage.of(entries, deliveries, settings.maxDeliveries());
            if (!triage.suspects().isEmpty()) {
                storeOneByOne(triage.suspects(), deliveries);
            }
            store(triage.accepted(), new ArrayList<>(triage.poison()), triage.ackIds(), entries, deliveries, null);
            parts.metrics().events("unknown", triage.skipped());
            if (triage.missing() > 0) {
                parts.metrics().missing(triage.missing());
                LOG.warnf("%s: %d pending entries were no longer in the stream (trimmed before being stored)", stream,
                        triage.missing());
            }
        }
        timing.stop(parts.metrics().batch());
    }

    private void storeOneByOne(List<Decoded.Accepted> suspects, Map<String, Integer> deliveries) {
        LOG.warnf("%s: %d entries were delivered more than %d times; storing them one by one", stream, suspects.size(),
                settings.maxDeliveries());
        List<String> ids = suspects.stream().map(s -> s.entry().id()).toList();
        Set<String> died = retry.call("suspect marks", () -> parts.suspects().diedAlone(stream, settings.group(), ids));
        for (Decoded.Accepted s : suspects) {
            String id = s.entry().id();
            int count = deliveries.getOrDefault(id, 1);
            if (died.contains(id)) {
                DeadLetter dead = new DeadLetter(s.entry(), DeadLetters.MAX_DELIVERIES, "delivered " + count
                        + " times (max " + settings.maxDeliveries() + "); the consumer stopped while storing it alone", count);
                store(List.of(), new ArrayList<>(List.of(dead)), List.of(id), List.of(s.entry()), deliveries, id);
            } else {
                retry.run("suspect mark", () -> parts.suspects().mark(stream, settings.group(), settings.consumerName(), id, count));
                store(List.of(s), new ArrayList<>(), List.of(id), List.of(s.entry()), deliveries, id);
            }
        }
    }

    /**
     * Writes, dead-letters, acknowledges.
     *
     * @param suspect the id of the one suspect being stored alone (its mark is removed before the XACK), or null
     */
    private void store(List<Decoded.Accepted> accepted, List<DeadLetter> dead, List<String> ackIds, List<LogEntry> entries,
            Map<String, Integer> deliveries, String suspect) {
        WriteResult result = WriteResult.EMPTY;
        if (!accepted.isEmpty()) {
            List<Decoded.Accepted> batch = accepted;
            try {
                result = retry.call("batch of " + batch.size(), () -> parts.writer().write(batch));
            } catch (StopSignal.Stopped stopped) {
                throw stopped;
            } catch (RuntimeException e) {
                if (suspect == null) {
                    throw e;
                }
                int count = deliveries.getOrDefault(suspect, 1);
                dead.add(new DeadLetter(accepted.get(0).entry(), DeadLetters.MAX_DELIVERIES, "delivered " + count
                        + " times (max " + settings.maxDeliveries() + "); storing it alone failed: " + e, count));
                accepted = List.of();
            }
        }
        // counted once written: a failing XACK below (Redis gone) must not hide what this batch stored
        parts.metrics().inserted(result.inserted());
        parts.metrics().duplicates(result.duplicates());
        hooks.afterWrite(stream, entries);
        for (Decoded.Accepted a : accepted) {
            int count = deliveries.getOrDefault(a.entry().id(), 1);
            String rejected = result.rejected().get(a.entry().id());
            if (rejected != null) {
                dead.add(new DeadLetter(a.entry(), DeadLetters.REJECTED, rejected, count));
            }
            String conflict = result.conflicts().get(a.entry().id());
            if (conflict != null) {
                dead.add(new DeadLetter(a.entry(), DeadLetters.CONFLICT, conflict, count));
            }
        }
        for (DeadLetter d : dead) {
            retry.run("dead letter", () -> parts.deadLetters().send(stream, settings.group(), settings.consumerName(), d));
            parts.metrics().deadLettered(d.kind());
            LOG.warnf("%s: entry %s dead-lettered (%s): %s", stream, d.entry().id(), d.kind(), d.reason());
        }
        if (suspect != null) {
            retry.run("suspect mark", () -> parts.suspects().clear(stream, settings.group(), suspect));
        }
        parts.redis().ack(stream, settings.group(), ackIds);
        hooks.afterAck(stream, entries);
        countEvents(accepted);
    }

    private void countEvents(List<Decoded.Accepted> accepted) {
        Map<String, Integer> byType = new HashMap<>();
        for (Decoded.Accepted a : accepted) {
            StreamEvent e = a.event();
            byType.merge(e.type(), 1, Integer::sum);
        }
        byType.forEach(parts.metrics()::events);
    }
}

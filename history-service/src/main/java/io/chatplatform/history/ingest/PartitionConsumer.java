package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import com.mongodb.MongoException;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.history.ingest.DeadLetters.DeadLetter;
import io.chatplatform.history.store.HistoryCollections;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Consumes one log stream {@code chat:log:{p}} as a member of the consumer group, on its own thread:
 *
 * <ol>
 *   <li>creates the group if missing (MKSTREAM), and again whenever Redis answers NOGROUP: at the durable
 *       cursor from MongoDB when the stream still is the one the cursor was taken from, else at {@code 0}
 *       (never at {@code $}; see {@link GroupStart});</li>
 *   <li>first re-reads its own pending entries (XREADGROUP id {@code 0}), then new ones ({@code >}),
 *       COUNT batch-size, BLOCK block-time;</li>
 *   <li>every claim-interval takes over entries idle longer than claim-idle on other consumers (XAUTOCLAIM);</li>
 *   <li>per batch: decode; dead-letter poison at once and entries delivered more than max-deliveries times
 *       (only after MongoDB answered a ping: an outage is never the entries' fault); write the rest
 *       ({@link BatchWriter}), retrying with backoff while MongoDB is unavailable and keeping the entries
 *       claimed meanwhile (XCLAIM JUSTID, which does not count as a delivery); then XACK; then move the
 *       durable cursor to the group's low-water mark.</li>
 * </ol>
 *
 * {@link #stop()} lets the current batch finish (written and acknowledged), or abandons it unacknowledged
 * if MongoDB is down; nothing unwritten is ever acknowledged.
 */
public final class PartitionConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(PartitionConsumer.class);
    private static final String CLAIM_START = "0-0";

    public enum State {
        STARTING, RUNNING, RETRYING, STOPPED, FAILED
    }

    private final String stream;
    private final ConsumerSettings settings;
    private final LogStreams redis;
    private final IngestCursors cursors;
    private final BatchWriter writer;
    private final DeadLetters deadLetters;
    private final HistoryCollections store;
    private final IngestMetrics metrics;
    private final IngestHooks hooks;
    private final Object wakeUp = new Object();
    private final Backoff backoff;
    private final GroupStart groupStart;

    private volatile boolean running = true;
    private volatile State state = State.STARTING;
    private volatile long lastProgressAt = System.currentTimeMillis();
    private volatile Thread thread;

    // touched by the consumer thread only
    private boolean groupReady;
    private boolean readingOwnPending = true;
    private String ownPendingAfter = "0";
    private String claimCursor = CLAIM_START;
    private long nextClaimAt;
    private boolean cursorDirty;
    private long cursorWrittenAt;
    private int failuresInARow;
    private long nextPruneAt;

    public PartitionConsumer(String stream, ConsumerSettings settings, LogStreams redis, IngestCursors cursors,
            BatchWriter writer, DeadLetters deadLetters, HistoryCollections store, IngestMetrics metrics) {
        this(stream, settings, redis, cursors, writer, deadLetters, store, metrics, IngestHooks.NONE);
    }

    PartitionConsumer(String stream, ConsumerSettings settings, LogStreams redis, IngestCursors cursors,
            BatchWriter writer, DeadLetters deadLetters, HistoryCollections store, IngestMetrics metrics,
            IngestHooks hooks) {
        this.stream = stream;
        this.settings = settings;
        this.redis = redis;
        this.cursors = cursors;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.store = store;
        this.metrics = metrics;
        this.hooks = hooks;
        this.backoff = new Backoff(settings.retryBackoffInitial(), settings.retryBackoffMax());
        this.groupStart = new GroupStart(redis, cursors, metrics);
    }

    public String stream() {
        return stream;
    }

    public String consumerName() {
        return settings.consumerName();
    }

    public State state() {
        return state;
    }

    /** When the loop last completed a step or a retry (epoch ms). */
    public long lastProgressAt() {
        return lastProgressAt;
    }

    public boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Starts the loop on a new platform thread named {@code history-ingest-<stream>}. */
    public Thread start() {
        Thread t = new Thread(this, "history-ingest-" + stream);
        t.setDaemon(true);
        thread = t;
        t.start();
        return t;
    }

    /** Asks the loop to stop after the current batch; returns at once. */
    public void stop() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** @return true if the loop ended within the timeout */
    public boolean awaitStop(long timeoutMs) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(Math.max(1, timeoutMs));
            return !t.isAlive();
        }
        return true;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        state = State.RUNNING;
        try {
            while (running) {
                lastProgressAt = System.currentTimeMillis();
                try {
                    step();
                    if (state == State.RETRYING) {
                        LOG.infof("%s: consuming again", stream);
                        state = State.RUNNING;
                    }
                    failuresInARow = 0;
                    backoff.reset();
                } catch (Stopped stopped) {
                    break;
                } catch (RuntimeException e) {
                    onFailure(e);
                }
            }
            state = State.STOPPED;
            goodbye();
        } catch (Stopped stopped) {
            state = State.STOPPED;
        } catch (Error e) {
            state = State.FAILED;
            LOG.errorf("%s: consumer died: %s", stream, e.toString());
            throw e;
        }
    }

    private void step() {
        if (!groupReady) {
            ensureGroup();
            groupReady = true;
            readingOwnPending = true;
            ownPendingAfter = "0";
        }
        long now = System.currentTimeMillis();
        if (now >= nextClaimAt) {
            nextClaimAt = now + settings.claimInterval().toMillis();
            LogStreams.Claimed claimed = redis.autoClaim(stream, settings.group(), settings.consumerName(),
                    settings.claimIdle(), claimCursor, settings.batchSize());
            claimCursor = claimed.next() == null ? CLAIM_START : claimed.next();
            if (CLAIM_START.equals(claimCursor) && claimed.entries().isEmpty()) {
                pruneConsumers(now);
            }
            if (claimed.vanished() > 0) {
                readingOwnPending = true; // acknowledge them from our own pending list
                ownPendingAfter = "0";
            }
            if (!claimed.entries().isEmpty()) {
                LOG.infof("%s: took over %d entries idle for more than %s", stream, claimed.entries().size(),
                        settings.claimIdle());
                if (!CLAIM_START.equals(claimCursor)) {
                    nextClaimAt = now; // more of the pending list to scan
                }
                process(claimed.entries(), true);
                return;
            }
        }
        if (readingOwnPending) {
            List<LogEntry> mine = redis.readGroup(stream, settings.group(), settings.consumerName(), ownPendingAfter,
                    settings.batchSize(), null);
            if (mine.isEmpty()) {
                readingOwnPending = false;
                return;
            }
            ownPendingAfter = mine.get(mine.size() - 1).id();
            process(mine, true);
            return;
        }
        List<LogEntry> fresh = redis.readGroup(stream, settings.group(), settings.consumerName(), ">",
                settings.batchSize(), settings.blockTime());
        if (fresh.isEmpty()) {
            maybeAdvanceCursor(true);
            return;
        }
        process(fresh, false);
    }

    /** At most every prune-idle/4: forget consumers that hold nothing and have been silent for prune-idle. */
    private void pruneConsumers(long now) {
        long idle = settings.consumerPruneIdle().toMillis();
        if (now < nextPruneAt) {
            return;
        }
        nextPruneAt = now + Math.max(1_000, idle / 4);
        for (LogStreams.ConsumerInfo c : redis.consumers(stream, settings.group())) {
            if (c.pending() == 0 && c.idleMs() > idle && !c.name().equals(settings.consumerName())) {
                redis.deleteConsumer(stream, settings.group(), c.name());
                LOG.infof("%s: removed consumer %s (nothing pending, idle %d s)", stream, c.name(), c.idleMs() / 1000);
            }
        }
    }

    private void ensureGroup() {
        groupStart.ensureGroup(stream, settings.group());
    }

    /** @param redelivered the entries were delivered before (own pending list or taken over) */
    private void process(List<LogEntry> entries, boolean redelivered) {
        Timer.Sample timing = Timer.start();
        hooks.afterRead(stream, entries);
        List<String> ids = new ArrayList<>(entries.size());
        List<Decoded.Accepted> accepted = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        Map<String, Integer> deliveries = redelivered
                ? redis.deliveryCounts(stream, settings.group(), settings.consumerName(), entries.get(0).id(),
                        entries.get(entries.size() - 1).id(), entries.size() * 4 + 100)
                : Map.of();
        int missing = 0;
        int skipped = 0;
        for (LogEntry entry : entries) {
            ids.add(entry.id());
            Decoded decoded = EntryDecoder.decode(entry);
            if (decoded instanceof Decoded.Accepted a) {
                accepted.add(a);
            } else if (decoded instanceof Decoded.Poison p) {
                dead.add(new DeadLetter(entry, DeadLetters.MALFORMED, p.reason(), deliveries.getOrDefault(entry.id(), 1)));
            } else if (decoded instanceof Decoded.Missing) {
                missing++;
            } else {
                skipped++;
            }
        }
        if (redelivered) {
            moveOverDelivered(accepted, deliveries, dead, ids);
        }
        WriteResult result = writeWithRetry(accepted, ids);
        // counted once written: a failing XACK below (Redis gone) must not hide what this batch stored
        metrics.inserted(result.inserted());
        metrics.duplicates(result.duplicates());
        hooks.afterWrite(stream, entries);

        if (!result.rejected().isEmpty()) {
            for (Decoded.Accepted a : accepted) {
                String reason = result.rejected().get(a.entry().id());
                if (reason != null) {
                    dead.add(new DeadLetter(a.entry(), DeadLetters.REJECTED, reason, deliveries.getOrDefault(a.entry().id(), 1)));
                }
            }
        }
        if (!result.conflicts().isEmpty()) {
            for (Decoded.Accepted a : accepted) {
                String reason = result.conflicts().get(a.entry().id());
                if (reason != null) {
                    dead.add(new DeadLetter(a.entry(), DeadLetters.CONFLICT, reason, deliveries.getOrDefault(a.entry().id(), 1)));
                }
            }
        }
        for (DeadLetter d : dead) {
            deadLetters.send(stream, settings.group(), settings.consumerName(), d);
            metrics.deadLettered(d.kind());
            LOG.warnf("%s: entry %s dead-lettered to %s (%s): %s", stream, d.entry().id(), deadLetters.stream(), d.kind(),
                    d.reason());
        }
        redis.ack(stream, settings.group(), ids);
        hooks.afterAck(stream, entries);

        countEvents(accepted);
        metrics.events("unknown", skipped);
        if (missing > 0) {
            metrics.missing(missing);
            LOG.warnf("%s: %d pending entries were no longer in the stream (trimmed before being stored)", stream, missing);
        }
        timing.stop(metrics.batch());
        cursorDirty = true;
        maybeAdvanceCursor(false);
    }

    /**
     * Entries delivered more than max-deliveries times go to the dead-letter stream instead of being written,
     * but only once MongoDB answers: delivery counts also grow when consumers die during an outage.
     */
    private void moveOverDelivered(List<Decoded.Accepted> accepted, Map<String, Integer> deliveries,
            List<DeadLetter> dead, List<String> ids) {
        List<Decoded.Accepted> over = new ArrayList<>();
        for (Decoded.Accepted a : accepted) {
            if (deliveries.getOrDefault(a.entry().id(), 1) > settings.maxDeliveries()) {
                over.add(a);
            }
        }
        if (over.isEmpty()) {
            return;
        }
        awaitStore(ids);
        for (Iterator<Decoded.Accepted> it = accepted.iterator(); it.hasNext();) {
            Decoded.Accepted a = it.next();
            if (over.contains(a)) {
                it.remove();
                int count = deliveries.get(a.entry().id());
                dead.add(new DeadLetter(a.entry(), DeadLetters.MAX_DELIVERIES, "delivered " + count
                        + " times without being stored (max " + settings.maxDeliveries() + ")", count));
            }
        }
    }

    private WriteResult writeWithRetry(List<Decoded.Accepted> accepted, List<String> ids) {
        if (accepted.isEmpty()) {
            return WriteResult.EMPTY;
        }
        Backoff retry = new Backoff(settings.retryBackoffInitial(), settings.retryBackoffMax());
        long keptAt = System.currentTimeMillis();
        int failures = 0;
        while (true) {
            try {
                WriteResult result = writer.write(accepted);
                if (failures > 0) {
                    LOG.infof("%s: MongoDB is back; batch of %d stored after %d failed attempts", stream, accepted.size(), failures);
                }
                return result;
            } catch (StoreUnavailableException e) {
                failures++;
                metrics.storeFailure();
                state = State.RETRYING;
                lastProgressAt = System.currentTimeMillis();
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warnf("%s: MongoDB unavailable (%s); %d entries stay pending, retrying", stream, e.getMessage(), ids.size());
                }
                keptAt = keepClaimed(ids, keptAt);
                pause(retryDelay(retry));
            }
        }
    }

    /** Never waits so long between retries that the entries in hand could look abandoned (claim-idle). */
    private long retryDelay(Backoff retry) {
        return Math.min(retry.nextDelayMs(), Math.max(1, settings.claimIdle().toMillis() / 4));
    }

    /** Blocks until MongoDB answers a ping (or stop). */
    private void awaitStore(List<String> ids) {
        Backoff retry = new Backoff(settings.retryBackoffInitial(), settings.retryBackoffMax());
        long keptAt = System.currentTimeMillis();
        while (true) {
            try {
                store.ping();
                return;
            } catch (MongoException e) {
                metrics.storeFailure();
                state = State.RETRYING;
                lastProgressAt = System.currentTimeMillis();
                keptAt = keepClaimed(ids, keptAt);
                pause(retryDelay(retry));
            }
        }
    }

    /** While a batch waits for MongoDB, keep it ours so no other consumer takes it over (and counts a delivery). */
    private long keepClaimed(List<String> ids, long keptAt) {
        long now = System.currentTimeMillis();
        if (now - keptAt < settings.claimIdle().toMillis() / 3) {
            return keptAt;
        }
        try {
            redis.keepClaimed(stream, settings.group(), settings.consumerName(), ids);
        } catch (RuntimeException e) {
            LOG.debugf("%s: could not refresh pending entries: %s", stream, e.getMessage());
        }
        return now;
    }

    /**
     * Moves the durable cursor to the group's low-water mark: min(last delivered, lowest pending - 1), anchored
     * on the newest entry at or below it (see {@link StreamAnchor}).
     */
    private void maybeAdvanceCursor(boolean idle) {
        long now = System.currentTimeMillis();
        if (!cursorDirty || (!idle && now - cursorWrittenAt < settings.cursorInterval().toMillis())) {
            return;
        }
        Optional<LogStreams.GroupInfo> info = redis.groupInfo(stream, settings.group());
        if (info.isEmpty()) {
            return; // the group is gone: the next read gets NOGROUP and recreates it from the cursor
        }
        LogStreams.PendingSummary pending = redis.pendingSummary(stream, settings.group());
        StreamId safe = info.get().lastDelivered();
        if (pending.lowest() != null) {
            safe = StreamId.min(safe, pending.lowest().previous());
        }
        StreamAnchor anchor = StreamId.ZERO.equals(safe) ? null
                : redis.lastAtOrBelow(stream, safe).filter(e -> !e.isMissing()).map(StreamAnchor::of).orElse(null);
        cursors.advance(stream, settings.group(), safe, anchor);
        cursorDirty = false;
        cursorWrittenAt = now;
    }

    private void countEvents(List<Decoded.Accepted> accepted) {
        Map<String, Integer> byType = new HashMap<>();
        for (Decoded.Accepted a : accepted) {
            StreamEvent e = a.event();
            byType.merge(e.type(), 1, Integer::sum);
        }
        byType.forEach(metrics::events);
    }

    private void onFailure(RuntimeException e) {
        if (RedisErrors.isNoGroup(e)) {
            LOG.warnf("%s: consumer group '%s' is gone; creating it again", stream, settings.group());
            groupReady = false;
        } else if (state != State.RETRYING || ++failuresInARow % 20 == 0) {
            LOG.warnf("%s: %s; retrying", stream, e.toString());
            LOG.debug("consumer failure", e);
        }
        state = State.RETRYING;
        readingOwnPending = true; // whatever we hold unacknowledged is re-read first
        ownPendingAfter = "0";
        pause(backoff.nextDelayMs());
    }

    /** Clean stop: persist the cursor and, holding nothing, leave the group's consumer list. */
    private void goodbye() {
        try {
            maybeAdvanceCursor(true);
            LogStreams.PendingSummary pending = redis.pendingSummary(stream, settings.group());
            if (pending.consumers().getOrDefault(settings.consumerName(), 0L) == 0L) {
                redis.deleteConsumer(stream, settings.group(), settings.consumerName());
            }
        } catch (RuntimeException e) {
            LOG.debugf("%s: cleanup on stop failed: %s", stream, e.getMessage());
        }
    }

    /** Sleeps, waking early on stop; throws {@link Stopped} when stopping. */
    private void pause(long ms) {
        if (!running) {
            throw new Stopped();
        }
        synchronized (wakeUp) {
            try {
                if (running) {
                    wakeUp.wait(Math.max(1, ms));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
        if (!running) {
            throw new Stopped();
        }
    }

    /** Unwinds the loop on stop without acknowledging the batch in hand. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}

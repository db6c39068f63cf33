package io.chatplatform.history.ingest;

import io.chatplatform.common.retry.Backoff;
import org.jboss.logging.Logger;

/**
 * Consumes one log stream {@code chat:log:{p}} as a member of the consumer group, on its own thread. This class
 * is the thread and its loop (state, progress, failures, clean stop); the steps are:
 * {@link DeliveryReader} (what to read next: group creation, takeovers, own pending, new entries),
 * {@link BatchProcessor} (decode, write, dead-letter, XACK; over-delivered entries stored one by one),
 * {@link StoreRetry} (the one MongoDB retry loop), {@link ClaimKeeper} (entries in hand stay claimed),
 * {@link CursorAdvancer} (the durable cursor) and {@link ConsumerPruner} (silent consumers removed).
 *
 * {@link #stop()} lets the current batch finish (written and acknowledged), or abandons it unacknowledged
 * if MongoDB is down; nothing unwritten is ever acknowledged.
 */
public final class PartitionConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(PartitionConsumer.class);

    public enum State {
        STARTING, RUNNING, RETRYING, STOPPED, FAILED
    }

    private final String stream;
    private final ConsumerSettings settings;
    private final IngestParts parts;
    private final StopSignal stop = new StopSignal();
    private final Backoff backoff;
    private final DeliveryReader reader;
    private final BatchProcessor processor;
    private final CursorAdvancer cursor;

    private volatile State state = State.STARTING;
    private volatile long lastProgressAt = System.currentTimeMillis();
    private volatile Thread thread;
    private int failuresInARow; // consumer thread only

    public PartitionConsumer(String stream, ConsumerSettings settings, IngestParts parts) {
        this(stream, settings, parts, IngestHooks.NONE);
    }

    PartitionConsumer(String stream, ConsumerSettings settings, IngestParts parts, IngestHooks hooks) {
        this.stream = stream;
        this.settings = settings;
        this.parts = parts;
        this.backoff = settings.retryBackoff();
        this.reader = new DeliveryReader(stream, settings, parts.redis(), new GroupStart(parts.redis(), parts.cursors(),
                parts.metrics()));
        StoreRetry retry = new StoreRetry(stream, settings, parts.metrics(), stop, this::retrying);
        this.processor = new BatchProcessor(stream, settings, parts, retry, hooks);
        this.cursor = new CursorAdvancer(stream, settings, parts.redis(), parts.cursors());
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
        stop.stop();
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
            while (stop.running()) {
                lastProgressAt = System.currentTimeMillis();
                try {
                    step();
                    if (state == State.RETRYING) {
                        LOG.infof("%s: consuming again", stream);
                        state = State.RUNNING;
                    }
                    failuresInARow = 0;
                    backoff.reset();
                } catch (StopSignal.Stopped stopped) {
                    break;
                } catch (RuntimeException e) {
                    onFailure(e);
                }
            }
            state = State.STOPPED;
            goodbye();
        } catch (StopSignal.Stopped stopped) {
            state = State.STOPPED;
        } catch (Error e) {
            state = State.FAILED;
            LOG.errorf("%s: consumer died: %s", stream, e.toString());
            throw e;
        }
    }

    private void step() {
        DeliveryReader.Delivery delivery = reader.next();
        if (delivery == null) {
            cursor.maybeAdvance(true);
            return;
        }
        processor.process(delivery);
        cursor.batchDone();
    }

    /** A store call failed and will be retried: still making progress, not stalled. */
    private void retrying() {
        state = State.RETRYING;
        lastProgressAt = System.currentTimeMillis();
    }

    private void onFailure(RuntimeException e) {
        if (RedisErrors.isNoGroup(e)) {
            LOG.warnf("%s: consumer group '%s' is gone; creating it again", stream, settings.group());
            reader.groupLost();
        } else if (state != State.RETRYING || ++failuresInARow % 20 == 0) {
            LOG.warnf("%s: %s; retrying", stream, e.toString());
            LOG.debug("consumer failure", e);
        }
        state = State.RETRYING;
        reader.rereadOwnPending();
        stop.pause(backoff.nextDelayMs());
    }

    /** Clean stop: persist the cursor and, holding nothing, leave the group's consumer list. */
    private void goodbye() {
        try {
            cursor.maybeAdvance(true);
            LogStreams.PendingSummary pending = parts.redis().pendingSummary(stream, settings.group());
            if (pending.consumers().getOrDefault(settings.consumerName(), 0L) == 0L) {
                parts.redis().deleteConsumer(stream, settings.group(), settings.consumerName());
            }
        } catch (RuntimeException e) {
            LOG.debugf("%s: cleanup on stop failed: %s", stream, e.getMessage());
        }
    }
}

package io.chatplatform.history.ingest;

import java.util.List;
import org.jboss.logging.Logger;

/**
 * What the consumer reads next: the group is (re)created when missing; every claim-interval entries idle
 * longer than claim-idle on other consumers are taken over (XAUTOCLAIM); then this consumer's own pending
 * entries (XREADGROUP id {@code 0}, after a start or a failure); then new ones ({@code >}, BLOCK block-time).
 */
final class DeliveryReader {

    private static final Logger LOG = Logger.getLogger(DeliveryReader.class);
    private static final String CLAIM_START = "0-0";

    /** @param redelivered delivered before (own pending list or taken over): delivery counts matter */
    record Delivery(List<LogEntry> entries, boolean redelivered) {
    }

    private final String stream;
    private final ConsumerSettings settings;
    private final LogStreams redis;
    private final GroupStart groupStart;
    private final ConsumerPruner pruner;

    private boolean groupReady;
    private boolean readingOwnPending = true;
    private String ownPendingAfter = "0";
    private String claimCursor = CLAIM_START;
    private long nextClaimAt;

    DeliveryReader(String stream, ConsumerSettings settings, LogStreams redis, GroupStart groupStart) {
        this.stream = stream;
        this.settings = settings;
        this.redis = redis;
        this.groupStart = groupStart;
        this.pruner = new ConsumerPruner(stream, settings, redis);
    }

    /** The next batch, or null when nothing came within block-time (or a phase just ended). */
    Delivery next() {
        if (!groupReady) {
            groupStart.ensureGroup(stream, settings.group());
            groupReady = true;
            rereadOwnPending();
        }
        long now = System.currentTimeMillis();
        if (now >= nextClaimAt) {
            Delivery claimed = claim(now);
            if (claimed != null) {
                return claimed;
            }
        }
        if (readingOwnPending) {
            List<LogEntry> mine = redis.readGroup(stream, settings.group(), settings.consumerName(), ownPendingAfter,
                    settings.batchSize(), null);
            if (mine.isEmpty()) {
                readingOwnPending = false;
                return null;
            }
            ownPendingAfter = mine.get(mine.size() - 1).id();
            return new Delivery(mine, true);
        }
        List<LogEntry> fresh = redis.readGroup(stream, settings.group(), settings.consumerName(), ">",
                settings.batchSize(), settings.blockTime());
        return fresh.isEmpty() ? null : new Delivery(fresh, false);
    }

    private Delivery claim(long now) {
        nextClaimAt = now + settings.claimInterval().toMillis();
        LogStreams.Claimed claimed = redis.autoClaim(stream, settings.group(), settings.consumerName(),
                settings.claimIdle(), claimCursor, settings.batchSize());
        claimCursor = claimed.next() == null ? CLAIM_START : claimed.next();
        if (CLAIM_START.equals(claimCursor) && claimed.entries().isEmpty()) {
            pruner.maybePrune(now);
        }
        if (claimed.vanished() > 0) {
            rereadOwnPending(); // acknowledge them from our own pending list
        }
        if (claimed.entries().isEmpty()) {
            return null;
        }
        LOG.infof("%s: took over %d entries idle for more than %s", stream, claimed.entries().size(), settings.claimIdle());
        if (!CLAIM_START.equals(claimCursor)) {
            nextClaimAt = now; // more of the pending list to scan
        }
        return new Delivery(claimed.entries(), true);
    }

    /** Whatever this consumer holds unacknowledged is read again first. */
    void rereadOwnPending() {
        readingOwnPending = true;
        ownPendingAfter = "0";
    }

    /** Redis answered NOGROUP: recreate the group before the next read. */
    void groupLost() {
        groupReady = false;
    }
}

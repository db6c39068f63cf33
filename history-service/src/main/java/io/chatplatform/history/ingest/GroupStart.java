package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where a missing consumer group is (re)created: at the durable cursor only when the stream provably is the
 * one the cursor was taken from, otherwise at {@code 0}.
 *
 * <p>After Redis lost its data, chat's XADD starts a new stream whose ids come from the Redis server's clock:
 * normally above the cursor, but below it after a restart with a clock behind, or when the entries are written
 * with explicit ids. Creating the group at the cursor there would silently skip every new entry up to it. So:
 * <ul>
 *   <li>no cursor, stream missing or empty, or its first entry above the cursor: {@code 0} (nothing before the
 *       cursor is in it, so nothing is replayed);</li>
 *   <li>the stream still holds the cursor's anchor entry (same id, same fields): the cursor (the group alone
 *       was lost, e.g. destroyed or a snapshot restored without it: no replay);</li>
 *   <li>anything else (a new stream overlapping the cursor, a cursor without anchor, the anchor trimmed away):
 *       {@code 0}; what is replayed is deduplicated.</li>
 * </ul>
 * After creating a group at the cursor, the anchor is checked once more; if the stream was replaced in between,
 * the group is moved back to {@code 0} (XGROUP SETID). Every command is single-key.
 */
final class GroupStart {

    private static final Logger LOG = Logger.getLogger(GroupStart.class);

    private final LogStreams redis;
    private final IngestCursors cursors;
    private final IngestMetrics metrics;

    GroupStart(LogStreams redis, IngestCursors cursors, IngestMetrics metrics) {
        this.redis = redis;
        this.cursors = cursors;
        this.metrics = metrics;
    }

    /** Creates the group if missing; returns quietly when it exists (e.g. created by chat or another replica). */
    void ensureGroup(String stream, String group) {
        Optional<IngestCursors.Cursor> cursor = cursors.cursor(stream, group);
        Start start = startFor(stream, cursor);
        if (!redis.createGroup(stream, group, start.from())) {
            return;
        }
        if (start.atCursor() && !anchorHolds(stream, cursor.get().anchor())) {
            redis.setGroupId(stream, group, StreamId.ZERO);
            start = new Start(StreamId.ZERO, "the stream was replaced while the group was created at the cursor");
        }
        metrics.groupCreated(start.atCursor() ? "cursor" : "start");
        LOG.infof("%s: created consumer group '%s' at %s (%s)", stream, group, start.from(), start.reason());
    }

    /** @param reason for the log */
    record Start(StreamId from, String reason) {
        boolean atCursor() {
            return !StreamId.ZERO.equals(from);
        }
    }

    Start startFor(String stream, Optional<IngestCursors.Cursor> cursor) {
        if (cursor.isEmpty() || StreamId.ZERO.equals(cursor.get().id())) {
            return new Start(StreamId.ZERO, "no durable cursor");
        }
        StreamId at = cursor.get().id();
        Optional<LogEntry> first = redis.first(stream);
        if (first.isEmpty()) {
            return new Start(StreamId.ZERO, "stream missing or empty: whatever it will hold is new");
        }
        if (StreamId.parse(first.get().id()).compareTo(at) > 0) {
            return new Start(StreamId.ZERO, "every entry of the stream is above the cursor " + at);
        }
        if (anchorHolds(stream, cursor.get().anchor())) {
            return new Start(at, "durable cursor; the stream still holds its anchor entry");
        }
        return new Start(StreamId.ZERO, "the stream does not continue the cursor " + at
                + " (new stream after a data loss, or anchor trimmed): replaying it, deduplicated");
    }

    private boolean anchorHolds(String stream, StreamAnchor anchor) {
        return anchor != null && anchor.matches(redis.entryAt(stream, anchor.id()).orElse(null));
    }
}

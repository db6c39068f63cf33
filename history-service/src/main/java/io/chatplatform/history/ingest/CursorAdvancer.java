package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import java.util.Optional;

/**
 * Moves the durable cursor to the group's low-water mark: min(last delivered, lowest pending - 1), anchored on
 * the newest entry at or below it (see {@link StreamAnchor}); at most every cursor-interval while busy, and
 * whenever the consumer goes idle.
 */
final class CursorAdvancer {

    private final String stream;
    private final ConsumerSettings settings;
    private final LogStreams redis;
    private final IngestCursors cursors;
    private boolean dirty;
    private long writtenAt;

    CursorAdvancer(String stream, ConsumerSettings settings, LogStreams redis, IngestCursors cursors) {
        this.stream = stream;
        this.settings = settings;
        this.redis = redis;
        this.cursors = cursors;
    }

    /** Something was acknowledged: the low-water mark may have moved. */
    void batchDone() {
        dirty = true;
        maybeAdvance(false);
    }

    void maybeAdvance(boolean idle) {
        long now = System.currentTimeMillis();
        if (!dirty || (!idle && now - writtenAt < settings.cursorInterval().toMillis())) {
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
        dirty = false;
        writtenAt = now;
    }
}

package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import java.util.List;
import java.util.Optional;

/**
 * How far a consumer group is behind on one stream.
 *
 * @param entries entries not yet delivered to the group: XINFO GROUPS {@code lag} on Redis 7+, else counted
 *                with XRANGE after the last delivered id, up to the scan limit (so it saturates there)
 * @param millis  age of the oldest entry not yet stored: now minus the time in the id of the oldest pending
 *                or undelivered entry; 0 when caught up
 * @param pending entries delivered but not acknowledged
 */
public record GroupLag(long entries, long millis, long pending) {

    public static GroupLag of(LogStreams streams, String stream, String group, int scanLimit, long now) {
        Optional<LogStreams.GroupInfo> info = streams.groupInfo(stream, group);
        Long reportedLag = info.map(LogStreams.GroupInfo::lag).orElse(null);
        StreamId delivered = info.map(LogStreams.GroupInfo::lastDelivered).orElse(StreamId.ZERO);
        List<String> unread = streams.idsAfter(stream, delivered, reportedLag != null ? 1 : Math.max(1, scanLimit));
        long lag = reportedLag != null ? reportedLag : unread.size();
        StreamId oldest = unread.isEmpty() ? null : StreamId.parse(unread.get(0));
        long pending = 0;
        if (info.isPresent() && info.get().pending() > 0) {
            LogStreams.PendingSummary summary = streams.pendingSummary(stream, group);
            pending = summary.count();
            if (summary.lowest() != null) {
                oldest = oldest == null ? summary.lowest() : StreamId.min(oldest, summary.lowest());
            }
        }
        return new GroupLag(lag, oldest == null ? 0 : Math.max(0, now - oldest.ms()), pending);
    }
}

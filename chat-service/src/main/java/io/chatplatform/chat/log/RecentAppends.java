package io.chatplatform.chat.log;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.redis.StreamId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The log entries this instance appended that some consumer group may not have stored yet, per partition, so they can
 * be appended again when Redis loses the stream (a restart without persistence, a failover that drops the last writes,
 * a FLUSHALL): an acknowledged message then still reaches history. Entries leave once every group has consumed past
 * them ({@link #consumedBelow}, fed by {@link LogTrimmer}), or when older than {@code chat.log.replay-window}, or when
 * more than {@code chat.log.replay-max-entries} wait (oldest first; counted as {@code chat.log.replay.dropped}).
 */
@Singleton
public class RecentAppends {

    private final List<Deque<Appended>> partitions;
    private final long windowMillis;
    private final int maxEntries;
    private final Counter dropped;

    public RecentAppends(ChatConfig config, MeterRegistry metrics) {
        int count = config.log().partitions();
        this.partitions = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            partitions.add(new ArrayDeque<>());
        }
        this.windowMillis = config.log().replayWindow().toMillis();
        this.maxEntries = config.log().replayMaxEntries();
        this.dropped = metrics.counter("chat.log.replay.dropped");
    }

    void add(int partition, StreamId id, String event) {
        Deque<Appended> entries = partitions.get(partition);
        long now = System.currentTimeMillis();
        synchronized (entries) {
            entries.addLast(new Appended(id, event, now));
            while (entries.size() > maxEntries) {
                entries.removeFirst();
                dropped.increment();
            }
            expire(entries, now);
        }
    }

    /** Forgets the entries below {@code floor}: every consumer group has stored them. */
    void consumedBelow(int partition, StreamId floor) {
        Deque<Appended> entries = partitions.get(partition);
        synchronized (entries) {
            while (!entries.isEmpty() && entries.peekFirst().id().compareTo(floor) < 0) {
                entries.removeFirst();
            }
            expire(entries, System.currentTimeMillis());
        }
    }

    /** Takes every remembered event of the partition, oldest first, for appending again. */
    List<String> drain(int partition) {
        Deque<Appended> entries = partitions.get(partition);
        synchronized (entries) {
            expire(entries, System.currentTimeMillis());
            List<String> events = entries.stream().map(Appended::event).toList();
            entries.clear();
            return events;
        }
    }

    int size(int partition) {
        Deque<Appended> entries = partitions.get(partition);
        synchronized (entries) {
            return entries.size();
        }
    }

    private void expire(Deque<Appended> entries, long now) {
        while (!entries.isEmpty() && now - entries.peekFirst().appendedAt() > windowMillis) {
            entries.removeFirst();
        }
    }

    private record Appended(StreamId id, String event, long appendedAt) {
    }
}

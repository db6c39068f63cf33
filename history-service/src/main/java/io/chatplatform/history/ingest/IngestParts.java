package io.chatplatform.history.ingest;

import io.chatplatform.history.store.HistoryCollections;

/** What every partition consumer of a process shares (stateless or thread-safe). */
public record IngestParts(LogStreams redis, IngestCursors cursors, BatchWriter writer, DeadLetters deadLetters,
        SuspectMarks suspects, ClaimKeeper claims, IngestMetrics metrics) {

    public static IngestParts of(LogStreams redis, HistoryCollections store, DeadLetters deadLetters, IngestMetrics metrics) {
        return new IngestParts(redis, new IngestCursors(store), new BatchWriter(store), deadLetters, new SuspectMarks(store),
                new ClaimKeeper(redis), metrics);
    }
}

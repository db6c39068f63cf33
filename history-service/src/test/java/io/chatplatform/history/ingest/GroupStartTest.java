package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chatplatform.history.TestLog;
import io.chatplatform.history.store.HistoryCollections;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Where a lost group is recreated: at the cursor only while the stream provably continues it. */
@QuarkusTest
@Tag("cluster")
class GroupStartTest {

    @Inject
    RedisDataSource redis;
    @Inject
    HistoryCollections store;

    @Test
    void theCursorIsUsedOnlyForTheStreamItWasTakenFrom() {
        LogStreams streams = new LogStreams(redis);
        GroupStart start = new GroupStart(streams, new IngestCursors(store), new IngestMetrics(new SimpleMeterRegistry()));
        String stream = TestLog.privateStream();
        try {
            assertEquals(StreamId.ZERO, start.startFor(stream, Optional.empty()).from(), "no cursor");
            IngestCursors.Cursor noAnchor = new IngestCursors.Cursor(new StreamId(1_000, 5), null);
            assertEquals(StreamId.ZERO, start.startFor(stream, Optional.of(noAnchor)).from(), "stream missing");

            for (int i = 0; i < 10; i++) {
                add(stream, "1000-" + i, "old " + i);
            }
            LogEntry anchorEntry = streams.entryAt(stream, new StreamId(1_000, 5)).orElseThrow();
            IngestCursors.Cursor cursor = new IngestCursors.Cursor(new StreamId(1_000, 5), StreamAnchor.of(anchorEntry));
            assertEquals(new StreamId(1_000, 5), start.startFor(stream, Optional.of(cursor)).from(), "same stream");
            assertEquals(StreamId.ZERO, start.startFor(stream, Optional.of(noAnchor)).from(),
                    "a cursor without anchor cannot prove the stream: from the start");
            IngestCursors.Cursor below = new IngestCursors.Cursor(new StreamId(999, 0), cursor.anchor());
            assertEquals(StreamId.ZERO, start.startFor(stream, Optional.of(below)).from(), "every entry above the cursor");

            // a new stream with the very same ids but other entries (a wipe, explicit or clock-behind ids)
            redis.key().del(stream);
            for (int i = 0; i < 10; i++) {
                add(stream, "1000-" + i, "new " + i);
            }
            assertEquals(StreamId.ZERO, start.startFor(stream, Optional.of(cursor)).from(), "anchor id there, content not");

            // an empty stream (MKSTREAM): whatever it will hold is new
            redis.key().del(stream);
            streams.createGroup(stream, "someone-else", StreamId.ZERO);
            assertEquals(StreamId.ZERO, start.startFor(stream, Optional.of(cursor)).from(), "empty stream");
        } finally {
            redis.key().del(stream);
        }
    }

    private void add(String stream, String id, String value) {
        redis.execute("XADD", stream, id, "e", value);
    }
}

package io.chatplatform.history.ingest;

import io.chatplatform.common.event.StreamEvent;

/** What one log entry turned out to be. */
public sealed interface Decoded {

    LogEntry entry();

    /** A valid event to store. */
    record Accepted(LogEntry entry, StreamEvent event) implements Decoded {
    }

    /** A well-formed event of a type history does not store or know: acknowledged and skipped. */
    record Skipped(LogEntry entry) implements Decoded {
    }

    /** Can never be stored (not JSON, wrong shape, invalid values): dead-lettered at once. */
    record Poison(LogEntry entry, String reason) implements Decoded {
    }

    /** Pending in the group but gone from the stream (trimmed): nothing to store, acknowledged. */
    record Missing(LogEntry entry) implements Decoded {
    }
}

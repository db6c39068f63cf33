package io.chatplatform.history.ingest;

import java.util.List;

/**
 * Test seams of {@link PartitionConsumer}: called on the consumer thread at the points where a crash matters.
 * Throwing an {@link Error} from a hook kills the consumer right there, like a process dying: entries read
 * but not acknowledged stay pending. Production uses {@link #NONE}.
 */
interface IngestHooks {

    IngestHooks NONE = new IngestHooks() {
    };

    /** Entries were read (new, own pending or taken over), nothing written yet. */
    default void afterRead(String stream, List<LogEntry> entries) {
    }

    /** The batch is in MongoDB; not acknowledged yet. */
    default void afterWrite(String stream, List<LogEntry> entries) {
    }

    /** Acknowledged; the durable cursor has not moved yet. */
    default void afterAck(String stream, List<LogEntry> entries) {
    }
}

package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.LogPartitions;
import java.util.Map;

/**
 * One entry read from a log stream. {@code fields} is null when the entry is still pending in the group but
 * no longer in the stream (trimmed or deleted): there is nothing left to store.
 */
public record LogEntry(String id, Map<String, String> fields) {

    public boolean isMissing() {
        return fields == null;
    }

    /** The event JSON (field {@code e}), or null. */
    public String event() {
        return fields == null ? null : fields.get(LogPartitions.EVENT_FIELD);
    }
}

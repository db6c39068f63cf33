package io.chatplatform.history.search;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One message found. {@code highlights}: the matched ranges of {@code body}, {@code [start, end)} in UTF-16 indices
 * (JavaScript's {@code body.slice(start, end)}), sorted, not overlapping.
 */
@RegisterForReflection
public record SearchHit(String conv, long seq, String msgId, long from, long ts, String body, List<int[]> highlights) {
}

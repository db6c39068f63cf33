package io.chatplatform.history.ingest;

import java.util.Map;

/**
 * @param inserted   messages newly stored
 * @param duplicates messages that were already stored (a replay: success)
 * @param rejected   entry id → reason, for entries MongoDB refused for what they contain (dead-lettered)
 * @param conflicts  entry id → reason, for entries not written because they contradict what is stored (a reused
 *                   desk ticket id, see {@link DeskOwnership}; dead-lettered with kind {@code conflict})
 */
public record WriteResult(int inserted, int duplicates, Map<String, String> rejected, Map<String, String> conflicts) {

    public static final WriteResult EMPTY = new WriteResult(0, 0, Map.of(), Map.of());
}

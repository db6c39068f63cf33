package io.chatplatform.history.ingest;

import io.chatplatform.history.ingest.DeadLetters.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sorts one delivered batch: events to store, suspects (delivered more than max-deliveries times: stored one
 * by one, see {@link BatchProcessor}), poison (dead-lettered at once), entries gone from the stream, and
 * event types history skips.
 *
 * @param ackIds every entry id of the batch except the suspects' (each suspect is acknowledged on its own)
 */
record BatchTriage(List<Decoded.Accepted> accepted, List<Decoded.Accepted> suspects, List<DeadLetter> poison,
        List<String> ackIds, int missing, int skipped) {

    /** @param deliveries entry id → delivery count (absent: delivered once) */
    static BatchTriage of(List<LogEntry> entries, Map<String, Integer> deliveries, int maxDeliveries) {
        List<Decoded.Accepted> accepted = new ArrayList<>();
        List<Decoded.Accepted> suspects = new ArrayList<>();
        List<DeadLetter> poison = new ArrayList<>();
        List<String> ackIds = new ArrayList<>(entries.size());
        int missing = 0;
        int skipped = 0;
        for (LogEntry entry : entries) {
            int count = deliveries.getOrDefault(entry.id(), 1);
            Decoded decoded = EntryDecoder.decode(entry);
            if (decoded instanceof Decoded.Accepted a && count > maxDeliveries) {
                suspects.add(a);
                continue;
            }
            ackIds.add(entry.id());
            if (decoded instanceof Decoded.Accepted a) {
                accepted.add(a);
            } else if (decoded instanceof Decoded.Poison p) {
                poison.add(new DeadLetter(entry, DeadLetters.MALFORMED, p.reason(), count));
            } else if (decoded instanceof Decoded.Missing) {
                missing++;
            } else {
                skipped++;
            }
        }
        return new BatchTriage(accepted, suspects, poison, ackIds, missing, skipped);
    }
}

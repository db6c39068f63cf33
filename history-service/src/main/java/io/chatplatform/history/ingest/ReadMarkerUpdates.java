package io.chatplatform.history.ingest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.ReadEvent;
import io.chatplatform.history.conversation.ReadMarkerDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code read_markers} writes of a batch, folded per (conv, uid): read events, and every message's sender
 * (one has read what one wrote). One upsert with $max per marker: markers never move back.
 */
final class ReadMarkerUpdates {

    private ReadMarkerUpdates() {
    }

    static List<TrackedWrite> build(List<Decoded.Accepted> events) {
        Map<String, Fold> folds = new LinkedHashMap<>();
        for (Decoded.Accepted accepted : events) {
            if (accepted.event() instanceof ReadEvent r && r.uid() > 0) {
                fold(folds, r.conv(), r.uid(), r.seq(), accepted.entry().id());
            } else if (accepted.event() instanceof MessageEvent m && m.from() > 0) {
                fold(folds, m.conv(), m.from(), m.seq(), accepted.entry().id());
            }
        }
        List<TrackedWrite> writes = new ArrayList<>();
        for (Fold f : folds.values()) {
            writes.add(new TrackedWrite(new UpdateOneModel<>(
                    Filters.eq(ReadMarkerDocument.ID, ReadMarkerDocument.id(f.conv, f.uid)),
                    Updates.combine(Updates.setOnInsert(ReadMarkerDocument.CONV, f.conv),
                            Updates.setOnInsert(ReadMarkerDocument.UID, f.uid),
                            Updates.max(ReadMarkerDocument.SEQ, f.seq)),
                    new UpdateOptions().upsert(true)), f.entries));
        }
        return writes;
    }

    private static void fold(Map<String, Fold> folds, String conv, long uid, long seq, String entryId) {
        Fold f = folds.computeIfAbsent(ReadMarkerDocument.id(conv, uid), k -> new Fold(conv, uid));
        f.seq = Math.max(f.seq, seq);
        f.entries.add(entryId);
    }

    private static final class Fold {
        final String conv;
        final long uid;
        final List<String> entries = new ArrayList<>();
        long seq;

        Fold(String conv, long uid) {
            this.conv = conv;
            this.uid = uid;
        }
    }
}

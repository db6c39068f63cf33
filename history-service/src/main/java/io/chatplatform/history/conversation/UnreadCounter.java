package io.chatplatform.history.conversation;

import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.message.MessageDocument;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Unread counts from the stored messages: the number of messages with {@code readSeq < seq <= lastSeq}, at most
 * {@code history.api.unread-cap}, not counting desk agents' private notes. Not {@code lastSeq - readSeq}: after Redis lost its data chat's seq may jump
 * (a gap of unused seqs), which must not count as unread.
 *
 * <p>Cheap on every store: for each conversation with {@code lastSeq > readSeq} the newest
 * {@code min(lastSeq - readSeq, cap)} seqs of the window are looked up as exact {@code convSeq} keys (the unique
 * index; one {@code $in} for the whole page, in chunks). When all are there (no gap in the window, the usual
 * case) that is the answer. Only a window with a gap falls back to a range count limited to the cap (served by
 * the {@code {conv, seq}} index on MongoDB; the mongo-java-server stand-in scans, which only tests see).
 */
@ApplicationScoped
public class UnreadCounter {

    /** Keys per {@code $in} query. */
    static final int KEYS_PER_QUERY = 5_000;

    private final HistoryCollections store;
    private final int cap;

    public UnreadCounter(HistoryCollections store, HistoryConfig config) {
        this.store = store;
        this.cap = Math.max(1, config.api().unreadCap());
    }

    /** A conversation's window: messages with {@code readSeq < seq <= lastSeq}. */
    public record Window(String conv, long readSeq, long lastSeq) {
        long size() {
            return Math.max(0, lastSeq - readSeq);
        }
    }

    public int cap() {
        return cap;
    }

    /** @return unread count per conversation (0 for an empty window), each at most {@link #cap()} */
    public Map<String, Long> count(List<Window> windows) {
        Map<String, Long> unread = new HashMap<>();
        Map<String, Long> expected = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (Window w : windows) {
            unread.put(w.conv(), 0L);
            long n = Math.min(w.size(), cap);
            if (n == 0) {
                continue;
            }
            expected.put(w.conv(), n);
            for (long seq = w.lastSeq(); seq > w.lastSeq() - n; seq--) {
                keys.add(MessageDocument.convSeq(w.conv(), seq));
            }
        }
        Map<String, Long> found = new HashMap<>();
        Map<String, Long> notes = new HashMap<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            for (Document d : store.messages().find(Filters.in(MessageDocument.CONV_SEQ, chunk))
                    .projection(Projections.include(MessageDocument.CONV, MessageDocument.VISIBILITY))) {
                found.merge(d.getString(MessageDocument.CONV), 1L, Long::sum);
                if (d.get(MessageDocument.VISIBILITY) != null) {
                    notes.merge(d.getString(MessageDocument.CONV), 1L, Long::sum); // desk notes are never unread
                }
            }
        }
        for (Window w : windows) {
            Long n = expected.get(w.conv());
            if (n == null) {
                continue;
            }
            long hits = found.getOrDefault(w.conv(), 0L);
            unread.put(w.conv(), hits == n ? n - notes.getOrDefault(w.conv(), 0L) : rangeCount(w));
        }
        return unread;
    }

    /** The window holds a gap (or documents stored before convSeq existed): count the range, up to the cap. */
    private long rangeCount(Window w) {
        return store.messages().countDocuments(Filters.and(Filters.eq(MessageDocument.CONV, w.conv()),
                Filters.gt(MessageDocument.SEQ, w.readSeq()), Filters.lte(MessageDocument.SEQ, w.lastSeq()),
                Filters.exists(MessageDocument.VISIBILITY, false)),
                new CountOptions().limit(cap));
    }
}

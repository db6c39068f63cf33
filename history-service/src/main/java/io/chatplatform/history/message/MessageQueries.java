package io.chatplatform.history.message;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.chatplatform.history.lifecycle.UpdateDocument;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Keyset paging on {@code (conv, seq)} (the unique index): a page is "the next {@code limit} seqs below
 * {@code before}" or "above {@code after}", never an offset, so messages arriving meanwhile can neither
 * shift nor duplicate items. One extra row is read to know whether more exist.
 *
 * <p>Seqs are dense (chat hands them out one by one), so the page below {@code before} is normally exactly
 * seqs {@code before-limit-1 .. before-1}: it is first fetched as exact lookups on the unique {@code convSeq}
 * key. Only when one of them is missing (a gap: a dead-lettered or expired message, a document stored before
 * {@code convSeq} existed) is the page answered by the range query, which gives the same result in every case.
 */
@ApplicationScoped
public class MessageQueries {

    /** Pages never need the search terms, often the largest part of a stored message. */
    private static final Bson WITHOUT_TERMS = Projections.exclude(MessageDocument.TERMS);

    private final HistoryCollections store;

    public MessageQueries(HistoryCollections store) {
        this.store = store;
    }

    /**
     * @param viewer who reads: messages they hid (and those messages' updates) are left out; the page's cursors still
     *               count them, so paging stays exact
     * @param before only seqs below it, newest first, returned ascending (null with after null: the newest page)
     * @param after  only seqs above it, ascending (forward sync), with the update items interleaved in seq order:
     *               {@code limit} counts messages and updates together
     */
    public MessagePage page(String conv, long viewer, Long before, Long after, int limit) {
        if (after != null) {
            return forward(conv, viewer, after, limit);
        }
        List<Document> docs = before == null ? null : exactlyBelow(conv, before, limit);
        if (docs == null) {
            Bson filter = before == null ? Filters.eq(MessageDocument.CONV, conv)
                    : Filters.and(Filters.eq(MessageDocument.CONV, conv), Filters.lt(MessageDocument.SEQ, before));
            docs = find(filter, Sorts.descending(MessageDocument.SEQ), limit + 1);
        }
        boolean more = docs.size() > limit;
        List<Document> page = new ArrayList<>(more ? docs.subList(0, limit) : docs);
        Collections.reverse(page);
        Long nextBefore = more ? Docs.getLong(page.get(0), MessageDocument.SEQ, 0) : null;
        return new MessagePage(views(page, viewer), nextBefore, null);
    }

    /** Messages and updates above {@code after}: the first {@code limit} of both merged by seq. */
    private MessagePage forward(String conv, long viewer, long after, int limit) {
        List<Document> messages = find(Filters.and(Filters.eq(MessageDocument.CONV, conv), Filters.gt(MessageDocument.SEQ, after)),
                Sorts.ascending(MessageDocument.SEQ), limit + 1);
        List<Document> updates = store.updates().find(Filters.and(Filters.eq(UpdateDocument.CONV, conv),
                        Filters.gt(UpdateDocument.SEQ, after))).sort(Sorts.ascending(UpdateDocument.SEQ)).limit(limit + 1)
                .into(new ArrayList<>());
        // each list holds up to limit + 1: taking `limit` positions from the merge never runs past what a list lacks
        List<HistoryItem> items = new ArrayList<>(limit);
        int m = 0;
        int u = 0;
        long last = after;
        for (int taken = 0; taken < limit && (m < messages.size() || u < updates.size()); taken++) {
            long ms = m < messages.size() ? Docs.getLong(messages.get(m), MessageDocument.SEQ, 0) : Long.MAX_VALUE;
            long us = u < updates.size() ? Docs.getLong(updates.get(u), UpdateDocument.SEQ, 0) : Long.MAX_VALUE;
            Document d = ms <= us ? messages.get(m++) : updates.get(u++);
            last = Math.min(ms, us);
            if (!MessageDocument.hiddenFor(d, viewer)) {
                items.add(ms <= us ? MessageDocument.view(d) : UpdateDocument.view(d));
            }
        }
        boolean more = m < messages.size() || u < updates.size();
        return new MessagePage(items, null, more ? last : null);
    }

    /**
     * Seqs {@code max(1, before-limit-1) .. before-1} by their {@code convSeq} keys, newest first, when every one
     * of them is stored; otherwise null (the range query decides). With all of them present, they are exactly
     * what the range query would return: the {@code limit + 1} highest seqs below {@code before}, or, when the
     * lowest is 1, every message below {@code before} (seqs start at 1).
     */
    private List<Document> exactlyBelow(String conv, long before, int limit) {
        long high = before - 1;
        long low = Math.max(1, before - limit - 1);
        if (high < low) {
            return null;
        }
        List<String> keys = new ArrayList<>((int) (high - low + 1));
        for (long seq = high; seq >= low; seq--) {
            keys.add(MessageDocument.convSeq(conv, seq));
        }
        List<Document> docs = store.messages().find(Filters.in(MessageDocument.CONV_SEQ, keys)).projection(WITHOUT_TERMS).into(new ArrayList<>(keys.size()));
        if (docs.size() != keys.size()) {
            return null;
        }
        docs.sort(Comparator.comparingLong((Document d) -> Docs.getLong(d, MessageDocument.SEQ, 0)).reversed());
        return docs;
    }

    private List<Document> find(Bson filter, Bson sort, int limit) {
        return store.messages().find(filter).projection(WITHOUT_TERMS).sort(sort).limit(limit).into(new ArrayList<>());
    }

    private static List<HistoryItem> views(List<Document> docs, long viewer) {
        List<HistoryItem> views = new ArrayList<>(docs.size());
        for (Document d : docs) {
            if (!MessageDocument.hiddenFor(d, viewer)) {
                views.add(MessageDocument.view(d));
            }
        }
        return views;
    }
}

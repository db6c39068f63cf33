package io.chatplatform.history.message;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Keyset paging on {@code (conv, seq)} (the unique index): a page is "the next {@code limit} seqs below
 * {@code before}" or "above {@code after}", never an offset, so messages arriving meanwhile can neither
 * shift nor duplicate items. One extra row is read to know whether more exist.
 */
@ApplicationScoped
public class MessageQueries {

    private final HistoryCollections store;

    public MessageQueries(HistoryCollections store) {
        this.store = store;
    }

    /**
     * @param before only seqs below it, newest first, returned ascending (null with after null: the newest page)
     * @param after  only seqs above it, ascending (forward sync)
     */
    public MessagePage page(String conv, Long before, Long after, int limit) {
        if (after != null) {
            List<Document> docs = find(Filters.and(Filters.eq(MessageDocument.CONV, conv), Filters.gt(MessageDocument.SEQ, after)),
                    Sorts.ascending(MessageDocument.SEQ), limit + 1);
            boolean more = docs.size() > limit;
            List<MessageView> items = views(more ? docs.subList(0, limit) : docs);
            return new MessagePage(items, null, more ? items.get(items.size() - 1).seq() : null);
        }
        Bson filter = before == null ? Filters.eq(MessageDocument.CONV, conv)
                : Filters.and(Filters.eq(MessageDocument.CONV, conv), Filters.lt(MessageDocument.SEQ, before));
        List<Document> docs = find(filter, Sorts.descending(MessageDocument.SEQ), limit + 1);
        boolean more = docs.size() > limit;
        List<MessageView> items = views(more ? docs.subList(0, limit) : docs);
        Collections.reverse(items);
        return new MessagePage(items, more ? items.get(0).seq() : null, null);
    }

    private List<Document> find(Bson filter, Bson sort, int limit) {
        return store.messages().find(filter).sort(sort).limit(limit).into(new ArrayList<>());
    }

    private static List<MessageView> views(List<Document> docs) {
        List<MessageView> views = new ArrayList<>(docs.size());
        for (Document d : docs) {
            views.add(MessageDocument.view(d));
        }
        return views;
    }
}

package io.chatplatform.history.consultation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.chatplatform.history.http.KeysetCursor;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Desk tickets, newest first (createdAt desc, _id desc), keyset-paged; optionally one customer's, one state's. */
@ApplicationScoped
public class ConsultationQueries {

    private final HistoryCollections store;

    public ConsultationQueries(HistoryCollections store) {
        this.store = store;
    }

    /** @param customer null: every customer's tickets */
    public ConsultationPage list(Long customer, String state, int limit, KeysetCursor after) {
        List<Bson> filters = new ArrayList<>();
        if (customer != null) {
            filters.add(Filters.eq(ConsultationDocument.CUSTOMER, customer));
        }
        if (state != null) {
            filters.add(Filters.eq(ConsultationDocument.STATE, state));
        }
        if (after != null) {
            filters.add(Filters.or(Filters.lt(ConsultationDocument.CREATED_AT, after.key()),
                    Filters.and(Filters.eq(ConsultationDocument.CREATED_AT, after.key()),
                            Filters.lt(ConsultationDocument.ID, after.id()))));
        }
        Bson filter = filters.isEmpty() ? new Document() : filters.size() == 1 ? filters.get(0) : Filters.and(filters);
        List<Document> docs = store.consultations().find(filter)
                .sort(Sorts.descending(ConsultationDocument.CREATED_AT, ConsultationDocument.ID))
                .limit(limit + 1).into(new ArrayList<>());
        boolean more = docs.size() > limit;
        if (more) {
            docs = docs.subList(0, limit);
        }
        List<ConsultationView> items = new ArrayList<>(docs.size());
        for (Document d : docs) {
            items.add(ConsultationDocument.view(d));
        }
        String next = null;
        if (more) {
            Document last = docs.get(docs.size() - 1);
            next = new KeysetCursor(Docs.getLong(last, ConsultationDocument.CREATED_AT, 0),
                    last.getString(ConsultationDocument.ID)).encode();
        }
        return new ConsultationPage(items, next);
    }
}

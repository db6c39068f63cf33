package io.chatplatform.history.search;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.conversation.ConversationDocument;
import io.chatplatform.history.conversation.ConversationQueries;
import io.chatplatform.history.http.KeysetCursor;
import io.chatplatform.history.message.MessageDocument;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Finds messages by their stored terms ({@link SearchTerms}) in the given conversations, newest first (keyset on
 * {@code (ts, _id)}), and keeps those whose text really matches ({@link SearchMatcher}). Served on MongoDB by the
 * multikey index {@code {terms, conv, ts}} ({@link io.chatplatform.history.store.IndexSetup#MESSAGES_SEARCH}).
 */
@ApplicationScoped
public class SearchQueries {

    private final HistoryCollections store;
    private final ConversationQueries conversations;
    private final HistoryConfig.Search config;

    public SearchQueries(HistoryCollections store, ConversationQueries conversations, HistoryConfig config) {
        this.store = store;
        this.conversations = conversations;
        this.config = config.search();
    }

    /** Ids of the conversations {@code uid} may search: those of the conversation list. */
    public List<String> searchable(long uid) {
        List<String> ids = new ArrayList<>();
        store.conversations().find(conversations.mineFilter(uid)).projection(Projections.include(ConversationDocument.ID))
                .forEach(d -> ids.add(d.getString(ConversationDocument.ID)));
        return ids;
    }

    public SearchPage search(long uid, List<String> convs, String query, int limit, KeysetCursor after) {
        List<SearchTerms.Part> parts = SearchTerms.parts(SearchText.of(query).folded());
        List<String> terms = SearchTerms.query(parts);
        if (convs.isEmpty() || terms.isEmpty()) {
            return new SearchPage(List.of(), null);
        }
        List<Bson> filters = new ArrayList<>(List.of(
                Filters.all(MessageDocument.TERMS, terms),
                Filters.in(MessageDocument.CONV, convs)));
        if (after != null) {
            filters.add(Filters.or(Filters.lt(MessageDocument.TS, after.key()),
                    Filters.and(Filters.eq(MessageDocument.TS, after.key()), Filters.lt(MessageDocument.ID, after.id()))));
        }
        SearchMatcher matcher = new SearchMatcher(parts);
        List<SearchHit> hits = new ArrayList<>();
        Document lastSeen = null;
        int candidates = 0;
        boolean exhausted = true;
        try (MongoCursor<Document> cursor = store.messages().find(Filters.and(filters))
                .projection(Projections.exclude(MessageDocument.TERMS))
                .sort(Sorts.descending(MessageDocument.TS, MessageDocument.ID))
                .batchSize(Math.min(config.maxCandidates(), limit * 4)).iterator()) {
            while (cursor.hasNext()) {
                if (hits.size() == limit || candidates == config.maxCandidates()) {
                    exhausted = false;
                    break;
                }
                Document d = cursor.next();
                candidates++;
                lastSeen = d;
                String body = d.getString(MessageDocument.BODY);
                if (body == null) {
                    continue;
                }
                List<int[]> highlights = matcher.highlights(body);
                if (!highlights.isEmpty()) {
                    hits.add(new SearchHit(d.getString(MessageDocument.CONV), Docs.getLong(d, MessageDocument.SEQ, 0),
                            d.getString(MessageDocument.ID), Docs.getLong(d, MessageDocument.FROM, 0),
                            Docs.getLong(d, MessageDocument.TS, 0), body, highlights));
                }
            }
        }
        String next = exhausted || lastSeen == null ? null
                : new KeysetCursor(Docs.getLong(lastSeen, MessageDocument.TS, 0), lastSeen.getString(MessageDocument.ID)).encode();
        return new SearchPage(hits, next);
    }
}

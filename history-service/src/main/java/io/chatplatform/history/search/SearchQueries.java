package io.chatplatform.history.search;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.chatplatform.common.event.MessageEvent;
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

    private static Bson below(KeysetCursor position) {
        return Filters.or(Filters.lt(MessageDocument.TS, position.key()),
                Filters.and(Filters.eq(MessageDocument.TS, position.key()), Filters.lt(MessageDocument.ID, position.id())));
    }

    /** Ids of the conversations {@code uid} may search: those of the conversation list. */
    public List<String> searchable(long uid) {
        List<String> ids = new ArrayList<>();
        store.conversations().find(conversations.mineFilter(uid)).projection(Projections.include(ConversationDocument.ID))
                .forEach(d -> ids.add(d.getString(ConversationDocument.ID)));
        return ids;
    }

    /**
     * @param staff desk staff (AGENT, ADMIN) also find agents' private notes
     * @param parts the query's words and CJK runs ({@link SearchTerms#parts} of its folded text)
     */
    public SearchPage search(long uid, boolean staff, List<String> convs, List<SearchTerms.Part> parts, int limit,
            KeysetCursor after) {
        List<String> terms = SearchTerms.query(parts);
        if (convs.isEmpty() || terms.isEmpty()) {
            return new SearchPage(List.of(), null);
        }
        List<Bson> filters = new ArrayList<>(List.of(Filters.all(MessageDocument.TERMS, terms),
                Filters.in(MessageDocument.CONV, convs),
                Filters.ne(MessageDocument.RECALLED, true), // the fold also drops their terms
                Filters.ne(MessageDocument.HIDDEN_FOR, uid)));
        if (!staff) {
            filters.add(Filters.ne(MessageDocument.VISIBILITY, MessageEvent.AGENTS_ONLY));
        }
        Bson candidates = Filters.and(filters);
        SearchMatcher matcher = new SearchMatcher(parts);
        List<SearchHit> hits = new ArrayList<>();
        KeysetCursor position = after;
        int checked = 0;
        int round = Math.min(config.maxCandidates(), limit * 2);
        boolean exhausted = false;
        // rounds of growing size, each a limited query below the last message checked: a word in every message
        // costs one small round, a rare one a few larger ones, never more than maxCandidates in all
        while (hits.size() < limit && checked < config.maxCandidates()) {
            int size = Math.min(round, config.maxCandidates() - checked);
            List<Document> docs = store.messages().find(position == null ? candidates : Filters.and(candidates, below(position)))
                    .projection(Projections.exclude(MessageDocument.TERMS))
                    .sort(Sorts.descending(MessageDocument.TS, MessageDocument.ID)).limit(size).into(new ArrayList<>(size));
            boolean checkedAll = true;
            for (Document d : docs) {
                if (hits.size() == limit) {
                    checkedAll = false;
                    break;
                }
                checked++;
                position = new KeysetCursor(Docs.getLong(d, MessageDocument.TS, 0), d.getString(MessageDocument.ID));
                String body = d.getString(MessageDocument.BODY);
                List<int[]> highlights = body == null ? List.of() : matcher.highlights(body);
                if (!highlights.isEmpty()) {
                    hits.add(new SearchHit(d.getString(MessageDocument.CONV), Docs.getLong(d, MessageDocument.SEQ, 0),
                            d.getString(MessageDocument.ID), Docs.getLong(d, MessageDocument.FROM, 0),
                            Docs.getLong(d, MessageDocument.TS, 0), body, highlights));
                }
            }
            if (docs.size() < size) {
                exhausted = checkedAll; // nothing below the last candidate, and every one was checked
                break;
            }
            round = Math.min(round * 4, config.maxCandidates());
        }
        String next = exhausted || position == null ? null : position.encode();
        return new SearchPage(hits, next);
    }
}

package io.chatplatform.history.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.history.http.KeysetCursor;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.set.SetCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * "My conversations": documents whose {@code members} contain me, or groups {@code g.{gid}} for every gid in
 * {@code user:{uid}:groups}; sorted by (updatedAt desc, _id desc) with a keyset cursor on that pair; read
 * markers joined in a second query (no $lookup); unread counts from the stored messages ({@link UnreadCounter}).
 */
@ApplicationScoped
public class ConversationQueries {

    private final HistoryCollections store;
    private final SetCommands<String, String> sets;
    private final UnreadCounter unreadCounter;

    public ConversationQueries(HistoryCollections store, RedisDataSource redis, UnreadCounter unreadCounter) {
        this.store = store;
        this.sets = redis.set(String.class);
        this.unreadCounter = unreadCounter;
    }

    /** The conversations documents of {@code uid}'s conversations: member of it, or of the group now. */
    public Bson mineFilter(long uid) {
        List<String> groups = new ArrayList<>();
        for (String gid : sets.smembers(GroupKeys.groupsOf(uid))) {
            if (gid.matches("(0|[1-9][0-9]{0,18})")) {
                groups.add("g." + gid);
            }
        }
        return groups.isEmpty() ? Filters.eq(ConversationDocument.MEMBERS, uid)
                : Filters.or(Filters.eq(ConversationDocument.MEMBERS, uid), Filters.in(ConversationDocument.ID, groups));
    }

    public ConversationPage mine(long uid, int limit, KeysetCursor after) {
        Bson mine = mineFilter(uid);
        Bson filter = after == null ? mine : Filters.and(mine, Filters.or(
                Filters.lt(ConversationDocument.UPDATED_AT, after.key()),
                Filters.and(Filters.eq(ConversationDocument.UPDATED_AT, after.key()), Filters.lt(ConversationDocument.ID, after.id()))));
        List<Document> docs = store.conversations().find(filter)
                .sort(Sorts.descending(ConversationDocument.UPDATED_AT, ConversationDocument.ID))
                .limit(limit + 1).into(new ArrayList<>());
        boolean more = docs.size() > limit;
        if (more) {
            docs = docs.subList(0, limit);
        }
        Map<String, Long> read = readSeqs(uid, docs);
        List<UnreadCounter.Window> windows = new ArrayList<>(docs.size());
        for (Document d : docs) {
            String conv = d.getString(ConversationDocument.ID);
            windows.add(new UnreadCounter.Window(conv, read.getOrDefault(conv, 0L),
                    Docs.getLong(d, ConversationDocument.LAST_SEQ, 0)));
        }
        Map<String, Long> unread = unreadCounter.count(windows);
        List<ConversationSummary> items = new ArrayList<>(docs.size());
        for (Document d : docs) {
            String conv = d.getString(ConversationDocument.ID);
            long lastSeq = Docs.getLong(d, ConversationDocument.LAST_SEQ, 0);
            long readSeq = read.getOrDefault(conv, 0L);
            items.add(new ConversationSummary(conv, lastSeq, readSeq, unread.getOrDefault(conv, 0L),
                    ConversationDocument.previewView(d.get(ConversationDocument.LAST_MESSAGE, Document.class)),
                    Docs.getLong(d, ConversationDocument.UPDATED_AT, 0)));
        }
        String next = null;
        if (more) {
            ConversationSummary last = items.get(items.size() - 1);
            next = new KeysetCursor(last.updatedAt(), last.conv()).encode();
        }
        return new ConversationPage(items, next);
    }

    private Map<String, Long> readSeqs(long uid, List<Document> conversations) {
        Map<String, Long> read = new HashMap<>();
        if (conversations.isEmpty()) {
            return read;
        }
        List<String> ids = new ArrayList<>(conversations.size());
        for (Document d : conversations) {
            ids.add(ReadMarkerDocument.id(d.getString(ConversationDocument.ID), uid));
        }
        for (Document marker : store.readMarkers().find(Filters.in(ReadMarkerDocument.ID, ids))) {
            read.put(marker.getString(ReadMarkerDocument.CONV), Docs.getLong(marker, ReadMarkerDocument.SEQ, 0));
        }
        return read;
    }
}

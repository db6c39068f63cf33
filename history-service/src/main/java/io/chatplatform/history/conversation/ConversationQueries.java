package io.chatplatform.history.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.history.http.KeysetCursor;
import io.chatplatform.history.message.MessageDocument;
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
    private final ConversationSettings settings;

    public ConversationQueries(HistoryCollections store, RedisDataSource redis, UnreadCounter unreadCounter,
            ConversationSettings settings) {
        this.store = store;
        this.settings = settings;
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
        Map<String, Long> mentions = mentionsOf(uid, windows, unread);
        Map<String, LastMessageView> ownView = previewsWithoutHidden(uid, docs);
        Map<String, ConversationSettings.Setting> mySettings = settings.of(uid,
                windows.stream().map(UnreadCounter.Window::conv).toList());
        long now = System.currentTimeMillis();
        List<ConversationSummary> items = new ArrayList<>(docs.size());
        for (Document d : docs) {
            String conv = d.getString(ConversationDocument.ID);
            long lastSeq = Docs.getLong(d, ConversationDocument.LAST_SEQ, 0);
            long readSeq = read.getOrDefault(conv, 0L);
            items.add(new ConversationSummary(conv, lastSeq, readSeq, unread.getOrDefault(conv, 0L),
                    ownView.containsKey(conv) ? ownView.get(conv)
                            : ConversationDocument.previewView(d.get(ConversationDocument.LAST_MESSAGE, Document.class)),
                    Docs.getLong(d, ConversationDocument.UPDATED_AT, 0), mentions.getOrDefault(conv, 0L),
                    muted(mySettings, conv, now), muted(mySettings, conv, now) ? mySettings.get(conv).mutedUntil() : null));
        }
        String next = null;
        if (more) {
            ConversationSummary last = items.get(items.size() - 1);
            next = new KeysetCursor(last.updatedAt(), last.conv()).encode();
        }
        return new ConversationPage(items, next);
    }

    /**
     * Unread messages mentioning {@code uid} (or all), per conversation: two queries for the page (by name, @all),
     * over only the conversations with unread messages, at most the unread cap per conversation.
     */
    private Map<String, Long> mentionsOf(long uid, List<UnreadCounter.Window> windows, Map<String, Long> unread) {
        Map<String, Long> counts = new HashMap<>();
        List<Bson> unreadWindows = new ArrayList<>();
        for (UnreadCounter.Window w : windows) {
            if (unread.getOrDefault(w.conv(), 0L) > 0) {
                unreadWindows.add(Filters.and(Filters.eq(MessageDocument.CONV, w.conv()),
                        Filters.gt(MessageDocument.SEQ, w.readSeq())));
            }
        }
        if (unreadWindows.isEmpty()) {
            return counts;
        }
        // one query per kind of mention: a second $or beside the windows' is not served alike by every store
        for (Bson mentioned : List.of(Filters.eq(MessageDocument.MENTIONS, uid), Filters.eq(MessageDocument.MENTIONS_ALL, true))) {
            Bson filter = Filters.and(Filters.or(unreadWindows), mentioned, Filters.ne(MessageDocument.FROM, uid),
                    Filters.ne(MessageDocument.RECALLED, true));
            for (Document d : store.messages().find(filter).projection(Projections.include(MessageDocument.CONV))
                    .limit(unreadCounter.cap() * unreadWindows.size())) {
                counts.merge(d.getString(MessageDocument.CONV), 1L, (x, y) -> Math.min(x + y, unreadCounter.cap()));
            }
        }
        return counts;
    }

    /**
     * Where my view of a conversation's last message differs: I hid it ("delete for me"), so my preview is the newest
     * message I did not hide (null value: none). One query for the page; one more per such conversation (rare).
     */
    private Map<String, LastMessageView> previewsWithoutHidden(long uid, List<Document> conversations) {
        Map<String, LastMessageView> own = new HashMap<>();
        List<String> lastIds = new ArrayList<>();
        for (Document d : conversations) {
            Document last = d.get(ConversationDocument.LAST_MESSAGE, Document.class);
            if (last != null && last.getString("msgId") != null) {
                lastIds.add(last.getString("msgId"));
            }
        }
        if (lastIds.isEmpty()) {
            return own;
        }
        for (Document hidden : store.messages().find(Filters.and(Filters.in(MessageDocument.ID, lastIds),
                Filters.eq(MessageDocument.HIDDEN_FOR, uid))).projection(Projections.include(MessageDocument.CONV))) {
            String conv = hidden.getString(MessageDocument.CONV);
            Document visible = store.messages().find(Filters.and(Filters.eq(MessageDocument.CONV, conv),
                    Filters.ne(MessageDocument.HIDDEN_FOR, uid))).sort(Sorts.descending(MessageDocument.SEQ)).first();
            own.put(conv, visible == null ? null : ConversationDocument.previewView(ConversationDocument.preview(visible)));
        }
        return own;
    }

    /**
     * The user's total unread over all their conversations (the push badge), each conversation at most the unread cap.
     * {@code arriving} (conv, seq) is counted even when the ingest has not stored it yet (the notifier and the
     * ingest read the log side by side).
     */
    public long totalUnread(long uid, String arrivingConv, long arrivingSeq) {
        List<Document> docs = store.conversations().find(mineFilter(uid))
                .projection(Projections.include(ConversationDocument.ID, ConversationDocument.LAST_SEQ))
                .into(new ArrayList<>());
        Map<String, Long> read = readSeqs(uid, docs);
        if (arrivingConv != null && docs.stream().noneMatch(d -> arrivingConv.equals(d.getString(ConversationDocument.ID)))) {
            docs.add(new Document(ConversationDocument.ID, arrivingConv).append(ConversationDocument.LAST_SEQ, arrivingSeq));
            read.putAll(readSeqs(uid, List.of(docs.get(docs.size() - 1))));
        }
        List<UnreadCounter.Window> windows = new ArrayList<>(docs.size());
        for (Document d : docs) {
            String conv = d.getString(ConversationDocument.ID);
            long last = Docs.getLong(d, ConversationDocument.LAST_SEQ, 0);
            if (conv.equals(arrivingConv)) {
                last = Math.max(last, arrivingSeq);
            }
            windows.add(new UnreadCounter.Window(conv, read.getOrDefault(conv, 0L), last));
        }
        long total = 0;
        for (long n : unreadCounter.count(windows).values()) {
            total += n;
        }
        if (arrivingConv != null && arrivingSeq > read.getOrDefault(arrivingConv, 0L)
                && store.messages().find(Filters.eq(MessageDocument.CONV_SEQ, MessageDocument.convSeq(arrivingConv, arrivingSeq)))
                        .projection(Projections.include(MessageDocument.ID)).first() == null) {
            total++;
        }
        return total;
    }

    private static boolean muted(Map<String, ConversationSettings.Setting> settings, String conv, long now) {
        ConversationSettings.Setting s = settings.get(conv);
        return s != null && s.mutedAt(now);
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

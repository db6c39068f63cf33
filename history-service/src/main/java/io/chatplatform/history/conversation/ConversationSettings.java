package io.chatplatform.history.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * A user's settings of one conversation (DESIGN Part 2 "Offline notifications"): mute, optionally until a time.
 * Collection {@code conversation_settings}, {@code _id = "<conv>|<uid>"}, fields {@code conv, uid, muted,
 * mutedUntil} (epoch ms or absent). Read by the conversation list and by the push notifier.
 */
@ApplicationScoped
public class ConversationSettings {

    public static final String COLLECTION = "conversation_settings";

    private final HistoryCollections store;

    public ConversationSettings(HistoryCollections store) {
        this.store = store;
    }

    /** @param mutedUntil epoch ms after which the mute no longer applies; null = until unmuted */
    @RegisterForReflection
    public record Setting(boolean muted, Long mutedUntil) {
        public static final Setting NONE = new Setting(false, null);

        /** Whether the mute applies at {@code nowMs}. */
        public boolean mutedAt(long nowMs) {
            return muted && (mutedUntil == null || mutedUntil > nowMs);
        }
    }

    static String id(String conv, long uid) {
        return conv + "|" + uid;
    }

    public void put(long uid, String conv, Setting setting) {
        Document doc = new Document("_id", id(conv, uid)).append("conv", conv).append("uid", uid)
                .append("muted", setting.muted());
        if (setting.mutedUntil() != null) {
            doc.append("mutedUntil", setting.mutedUntil());
        }
        store.database().getCollection(COLLECTION).replaceOne(Filters.eq("_id", doc.get("_id")), doc,
                new ReplaceOptions().upsert(true));
    }

    public Setting get(long uid, String conv) {
        return of(uid, List.of(conv)).getOrDefault(conv, Setting.NONE);
    }

    /** The stored settings of those of {@code convs} that have any. */
    public Map<String, Setting> of(long uid, Collection<String> convs) {
        Map<String, Setting> settings = new HashMap<>();
        if (convs.isEmpty()) {
            return settings;
        }
        List<String> ids = new ArrayList<>(convs.size());
        for (String conv : convs) {
            ids.add(id(conv, uid));
        }
        for (Document d : store.database().getCollection(COLLECTION).find(Filters.in("_id", ids))) {
            Object until = d.get("mutedUntil");
            settings.put(d.getString("conv"), new Setting(Boolean.TRUE.equals(d.getBoolean("muted")),
                    until instanceof Number n ? n.longValue() : null));
        }
        return settings;
    }
}

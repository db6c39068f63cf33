package io.chatplatform.history.media;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.history.conversation.ConversationAccess;
import io.chatplatform.history.http.Roles;
import io.chatplatform.history.message.MessageDocument;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;
import org.bson.Document;

/**
 * Who may fetch an upload: its uploader, or whoever may read a conversation holding a (not recalled) message with
 * that media ({@code messages.media.id}, index {@code media_id}); a desk agent's private note counts for desk staff
 * only. Everyone else is answered like a missing file (404).
 */
@ApplicationScoped
public class MediaAccess {

    private static final int MAX_MESSAGES = 200;

    private final HistoryCollections store;
    private final ConversationAccess conversations;

    public MediaAccess(HistoryCollections store, ConversationAccess conversations) {
        this.store = store;
        this.conversations = conversations;
    }

    public boolean canRead(AuthenticatedDevice me, MediaFile file) {
        if (file.owner() != null && file.owner() == me.uid()) {
            return true;
        }
        Set<String> checked = new HashSet<>();
        for (Document m : store.messages().find(Filters.eq(MessageDocument.MEDIA + ".id", file.id().toHexString()))
                .projection(Projections.include(MessageDocument.CONV, MessageDocument.VISIBILITY)).limit(MAX_MESSAGES)) {
            if (MessageEvent.AGENTS_ONLY.equals(m.getString(MessageDocument.VISIBILITY)) && !Roles.isDeskStaff(me)) {
                continue;
            }
            String conv = m.getString(MessageDocument.CONV);
            if (conv != null && checked.add(conv)
                    && ConversationId.parse(conv).map(c -> conversations.canRead(me, c)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any message refers to the upload (the sweeper keeps those). */
    public boolean referenced(MediaFile file) {
        return store.messages().find(Filters.eq(MessageDocument.MEDIA + ".id", file.id().toHexString()))
                .projection(Projections.include(MessageDocument.ID)).first() != null;
    }
}

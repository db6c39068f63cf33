package io.chatplatform.history.ingest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.history.conversation.ConversationDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.conversions.Bson;

/**
 * The {@code conversations} writes of a batch, folded per conversation: one upsert ($setOnInsert kind,
 * $max lastSeq (messages and updates)/updatedAt (messages and desk events), $addToSet members) and, when the batch has a message, one conditional $set of
 * {@code lastMessage} that only matches while the stored preview is older. Idempotent and order-independent.
 */
final class ConversationUpdates {

    private ConversationUpdates() {
    }

    static List<TrackedWrite> build(List<Decoded.Accepted> events) {
        Map<String, Fold> folds = new LinkedHashMap<>();
        for (Decoded.Accepted accepted : events) {
            StreamEvent event = accepted.event();
            if (event instanceof MessageEvent m) {
                Fold f = folds.computeIfAbsent(m.conv(), Fold::new);
                f.entries.add(accepted.entry().id());
                f.maxTs = Math.max(f.maxTs, m.ts());
                // a private desk note is neither the preview nor counted in lastSeq: the customer must not see it,
                // not even as an unread count
                if (!m.agentsOnly() && (f.last == null || m.seq() > f.last.seq())) {
                    f.last = m;
                }
                f.addMembers(m);
            } else if (event instanceof UpdateEvent u && u.seq() != null) {
                // an update's seq counts in lastSeq (a client syncing with after= must learn of an edit of an old message),
                // not in updatedAt (a reaction does not move the conversation up) nor in unread (counted from messages)
                Fold f = folds.computeIfAbsent(u.conv(), Fold::new);
                f.entries.add(accepted.entry().id());
                f.maxUpdateSeq = Math.max(f.maxUpdateSeq, u.seq());
            } else if (event instanceof DeskEvent d) {
                Fold f = folds.computeIfAbsent(d.conv(), Fold::new);
                f.entries.add(accepted.entry().id());
                f.maxTs = Math.max(f.maxTs, d.ts());
                if (d.customer() > 0) {
                    f.members.add(d.customer());
                }
                if (d.agent() != null) {
                    f.members.add(d.agent());
                }
            }
        }
        List<TrackedWrite> writes = new ArrayList<>();
        for (Fold f : folds.values()) {
            List<Bson> updates = new ArrayList<>();
            updates.add(Updates.setOnInsert(ConversationDocument.KIND, ConversationDocument.kind(f.id.kind())));
            updates.add(Updates.max(ConversationDocument.LAST_SEQ, Math.max(f.last == null ? 0L : f.last.seq(), f.maxUpdateSeq)));
            updates.add(Updates.max(ConversationDocument.UPDATED_AT, f.maxTs));
            if (!f.members.isEmpty()) {
                updates.add(Updates.addEachToSet(ConversationDocument.MEMBERS, new ArrayList<>(f.members)));
            }
            writes.add(new TrackedWrite(new UpdateOneModel<>(Filters.eq(ConversationDocument.ID, f.id.value()),
                    Updates.combine(updates), new UpdateOptions().upsert(true)), f.entries));
            if (f.last != null) {
                Bson olderPreview = Filters.or(
                        Filters.lt(ConversationDocument.LAST_MESSAGE + ".seq", f.last.seq()),
                        Filters.exists(ConversationDocument.LAST_MESSAGE, false));
                writes.add(new TrackedWrite(new UpdateOneModel<>(
                        Filters.and(Filters.eq(ConversationDocument.ID, f.id.value()), olderPreview),
                        Updates.set(ConversationDocument.LAST_MESSAGE, ConversationDocument.preview(f.last))),
                        f.entries));
            }
        }
        return writes;
    }

    private static final class Fold {
        final ConversationId id;
        final List<String> entries = new ArrayList<>();
        final Set<Long> members = new LinkedHashSet<>();
        MessageEvent last;
        long maxTs;
        long maxUpdateSeq;

        Fold(String conv) {
            this.id = ConversationId.parse(conv).orElseThrow();
        }

        void addMembers(MessageEvent m) {
            switch (id.kind()) {
                case DIRECT -> {
                    if (members.isEmpty()) { // the id names them: parse it once per batch, not per message
                        members.addAll(id.directMembers());
                    }
                }
                case DESK -> {
                    if (m.members() != null) {
                        members.addAll(m.members());
                    }
                }
                case GROUP -> {
                    // group membership lives in Redis (group:{gid}:members), never copied here
                }
            }
        }
    }
}

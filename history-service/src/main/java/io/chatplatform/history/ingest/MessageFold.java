package io.chatplatform.history.ingest;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.history.conversation.ConversationDocument;
import io.chatplatform.history.lifecycle.UpdateDocument;
import io.chatplatform.history.message.MessageDocument;
import io.chatplatform.history.search.SearchTerms;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.history.store.MongoErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Folds updates into the stored messages. Every update is stored as it came ({@code updates}, a replay is a duplicate
 * key); then each message that has updates is computed again <em>from scratch</em> from its document as sent and all
 * its stored updates in seq order. That is what makes the fold idempotent (a replay computes the same state) and
 * order-tolerant (an update stored before its message is folded in when the message arrives: a new message triggers
 * the fold when updates for it exist).
 *
 * <p>The state: the last edit by the sender gives {@code body}, {@code edited}, {@code editedAt}; a recall removes
 * {@code body} and {@code media}, freezes the rest, and also removes the text from the conversation's last-message
 * preview, from the quotes of replies to it, and from its edit updates; reactions are {@code {emoji: [uid]}}; hides
 * give {@code hiddenFor}, copied onto the message's updates so pages leave them out for those users. The text as sent
 * and every edit stay in {@code audit} (never served).
 */
final class MessageFold {

    private final HistoryCollections store;

    MessageFold(HistoryCollections store) {
        this.store = store;
    }

    /** Stores the updates; a duplicate key is a replay (already stored). */
    void insertUpdates(List<UpdateEvent> updates) {
        if (updates.isEmpty()) {
            return;
        }
        List<InsertOneModel<Document>> inserts = new ArrayList<>(updates.size());
        for (UpdateEvent u : updates) {
            inserts.add(new InsertOneModel<>(UpdateDocument.of(u)));
        }
        try {
            store.updates().bulkWrite(inserts, new BulkWriteOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                throw new StoreUnavailableException("write concern failed: " + e.getWriteConcernError().getMessage(), e);
            }
            for (BulkWriteError error : e.getWriteErrors()) {
                if (!MongoErrors.isDuplicateKey(error.getCode())) {
                    throw new StoreUnavailableException("insert into updates failed (" + error.getCode() + "): "
                            + error.getMessage(), e);
                }
            }
        }
    }

    /**
     * Computes again every message touched by {@code updates}, and every one of {@code messages} that already has
     * updates; strips quotes of recalled messages from new replies.
     */
    void fold(List<MessageEvent> messages, List<UpdateEvent> updates) {
        Set<String> ids = new LinkedHashSet<>();
        for (UpdateEvent u : updates) {
            ids.add(u.msgId());
        }
        if (!messages.isEmpty()) {
            List<String> newIds = new ArrayList<>(messages.size());
            messages.forEach(m -> newIds.add(m.msgId()));
            for (Document d : store.updates().find(Filters.in(UpdateDocument.MSG_ID, newIds))
                    .projection(Projections.include(UpdateDocument.MSG_ID))) {
                ids.add(d.getString(UpdateDocument.MSG_ID));
            }
        }
        if (!ids.isEmpty()) {
            refold(new ArrayList<>(ids));
        }
        stripQuotesOfRecalled(messages);
    }

    private void refold(List<String> ids) {
        Map<String, List<Document>> updatesOf = new HashMap<>();
        for (Document u : store.updates().find(Filters.in(UpdateDocument.MSG_ID, ids))) {
            updatesOf.computeIfAbsent(u.getString(UpdateDocument.MSG_ID), k -> new ArrayList<>()).add(u);
        }
        List<WriteModel<Document>> messageWrites = new ArrayList<>();
        List<WriteModel<Document>> conversationWrites = new ArrayList<>();
        List<WriteModel<Document>> updateWrites = new ArrayList<>();
        List<WriteModel<Document>> replyWrites = new ArrayList<>();
        for (Document message : store.messages().find(Filters.in(MessageDocument.ID, ids))) {
            String id = message.getString(MessageDocument.ID);
            String conv = message.getString(MessageDocument.CONV);
            State state = State.of(message, updatesOf.getOrDefault(id, List.of()));
            messageWrites.add(new UpdateOneModel<>(Filters.eq(MessageDocument.ID, id), state.write()));
            Bson lastIsThis = Filters.and(Filters.eq(ConversationDocument.ID, conv),
                    Filters.eq(ConversationDocument.LAST_MESSAGE + ".msgId", id));
            if (state.recalled) {
                conversationWrites.add(new UpdateOneModel<>(lastIsThis, Updates.combine(
                        Updates.set(ConversationDocument.LAST_MESSAGE + ".recalled", true),
                        Updates.unset(ConversationDocument.LAST_MESSAGE + ".text"))));
                replyWrites.add(quotesRecalled(conv, id));
                updateWrites.add(new UpdateManyModel<>(Filters.and(Filters.eq(UpdateDocument.MSG_ID, id),
                        Filters.eq(UpdateDocument.OP, UpdateEvent.EDIT)), Updates.unset(UpdateDocument.BODY)));
            } else if (state.edited) {
                conversationWrites.add(new UpdateOneModel<>(lastIsThis, Updates.combine(
                        Updates.set(ConversationDocument.LAST_MESSAGE + ".text", ConversationDocument.previewText(state.body)),
                        Updates.set(ConversationDocument.LAST_MESSAGE + ".edited", true))));
            }
            if (!state.hiddenFor.isEmpty()) {
                updateWrites.add(new UpdateManyModel<>(Filters.eq(UpdateDocument.MSG_ID, id),
                        Updates.set(UpdateDocument.HIDDEN_FOR, new ArrayList<>(state.hiddenFor))));
            }
        }
        write(store.messages().getNamespace().getCollectionName(), () -> store.messages().bulkWrite(messageWrites), messageWrites);
        write("conversations", () -> store.conversations().bulkWrite(conversationWrites), conversationWrites);
        write("updates", () -> store.updates().bulkWrite(updateWrites), updateWrites);
        write("replies", () -> store.messages().bulkWrite(replyWrites), replyWrites);
    }

    /** A new reply quoting a message recalled before the reply was stored loses the quote too. */
    private void stripQuotesOfRecalled(List<MessageEvent> messages) {
        Map<String, String> quoted = new HashMap<>();
        for (MessageEvent m : messages) {
            if (m.replyTo() != null) {
                quoted.put(m.replyTo().msgId(), m.conv());
            }
        }
        if (quoted.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (Document d : store.messages().find(Filters.and(Filters.in(MessageDocument.ID, new ArrayList<>(quoted.keySet())),
                Filters.eq(MessageDocument.RECALLED, true))).projection(Projections.include(MessageDocument.ID, MessageDocument.CONV))) {
            writes.add(quotesRecalled(d.getString(MessageDocument.CONV), d.getString(MessageDocument.ID)));
        }
        write("replies", () -> store.messages().bulkWrite(writes), writes);
    }

    private static WriteModel<Document> quotesRecalled(String conv, String msgId) {
        return new UpdateManyModel<>(Filters.and(Filters.eq(MessageDocument.CONV, conv),
                Filters.eq(MessageDocument.REPLY_TO + ".msgId", msgId)), Updates.combine(
                Updates.set(MessageDocument.REPLY_TO + ".recalled", true), Updates.unset(MessageDocument.REPLY_TO + ".preview")));
    }

    private static void write(String what, Runnable bulk, List<?> writes) {
        if (writes.isEmpty()) {
            return;
        }
        try {
            bulk.run();
        } catch (MongoBulkWriteException e) {
            throw new StoreUnavailableException("folding updates into " + what + " failed: " + e.getMessage(), e);
        }
    }

    /** A message's state after its updates, computed from the document as sent. */
    private static final class State {
        String body;
        Document media;
        boolean edited;
        Long editedAt;
        boolean recalled;
        Long recalledBy;
        Long recalledAt;
        final Map<String, LinkedHashSet<Long>> reactions = new LinkedHashMap<>();
        final Set<Long> hiddenFor = new LinkedHashSet<>();
        final List<Document> edits = new ArrayList<>();
        String sentBody;
        Document sentMedia;

        static State of(Document message, List<Document> updates) {
            State s = new State();
            Document audit = message.get(MessageDocument.AUDIT, Document.class);
            s.sentBody = audit != null ? audit.getString("body") : message.getString(MessageDocument.BODY);
            s.sentMedia = audit != null ? audit.get("media", Document.class) : message.get(MessageDocument.MEDIA, Document.class);
            s.body = s.sentBody;
            s.media = s.sentMedia;
            long from = Docs.getLong(message, MessageDocument.FROM, 0);
            List<Document> ordered = new ArrayList<>(updates);
            ordered.sort(Comparator.comparingLong((Document u) -> Docs.getLong(u, UpdateDocument.SEQ, Long.MAX_VALUE)));
            for (Document u : ordered) {
                String op = u.getString(UpdateDocument.OP);
                long by = Docs.getLong(u, UpdateDocument.BY, 0);
                if (UpdateEvent.HIDE.equals(op)) {
                    s.hiddenFor.add(by);
                    continue;
                }
                if (s.recalled) {
                    continue; // nothing changes a recalled message
                }
                String emoji = u.getString(UpdateDocument.EMOJI);
                switch (op) {
                    case UpdateEvent.EDIT -> {
                        if (by == from && u.getString(UpdateDocument.BODY) != null) {
                            s.body = u.getString(UpdateDocument.BODY);
                            s.edited = true;
                            s.editedAt = Docs.getLong(u, UpdateDocument.TS, 0);
                            s.edits.add(new Document("body", s.body).append("ts", s.editedAt)
                                    .append("seq", Docs.getLong(u, UpdateDocument.SEQ, 0)));
                        }
                    }
                    case UpdateEvent.RECALL -> {
                        s.recalled = true;
                        s.recalledBy = by;
                        s.recalledAt = Docs.getLong(u, UpdateDocument.TS, 0);
                    }
                    case UpdateEvent.REACT -> {
                        if (emoji != null) {
                            s.reactions.computeIfAbsent(emoji, e -> new LinkedHashSet<>()).add(by);
                        }
                    }
                    case UpdateEvent.UNREACT -> {
                        if (emoji != null && s.reactions.containsKey(emoji)) {
                            s.reactions.get(emoji).remove(by);
                            if (s.reactions.get(emoji).isEmpty()) {
                                s.reactions.remove(emoji);
                            }
                        }
                    }
                    default -> {
                        // an op this version does not know: ignored (forward compatible)
                    }
                }
            }
            return s;
        }

        Bson write() {
            List<Bson> changes = new ArrayList<>();
            if (recalled) {
                changes.add(Updates.unset(MessageDocument.BODY));
                changes.add(Updates.unset(MessageDocument.TERMS)); // a recalled message is found by nobody
                changes.add(Updates.unset(MessageDocument.MEDIA));
                changes.add(Updates.unset(MessageDocument.REACTIONS));
                changes.add(Updates.set(MessageDocument.RECALLED, true));
                changes.add(Updates.set(MessageDocument.RECALLED_BY, recalledBy));
                changes.add(Updates.set(MessageDocument.RECALLED_AT, recalledAt));
            } else {
                if (body != null) {
                    changes.add(Updates.set(MessageDocument.BODY, body));
                    changes.add(Updates.set(MessageDocument.TERMS, SearchTerms.index(body))); // found by its current text
                }
                Document r = new Document();
                reactions.forEach((emoji, uids) -> r.append(emoji, new ArrayList<>(uids)));
                changes.add(r.isEmpty() ? Updates.unset(MessageDocument.REACTIONS) : Updates.set(MessageDocument.REACTIONS, r));
            }
            if (edited) {
                changes.add(Updates.set(MessageDocument.EDITED, true));
                changes.add(Updates.set(MessageDocument.EDITED_AT, editedAt));
            }
            if (edited || recalled) {
                Document audit = new Document();
                Docs.putIfNotNull(audit, "body", sentBody);
                Docs.putIfNotNull(audit, "media", sentMedia);
                audit.append("edits", edits);
                changes.add(Updates.set(MessageDocument.AUDIT, audit));
            }
            if (!hiddenFor.isEmpty()) {
                changes.add(Updates.set(MessageDocument.HIDDEN_FOR, new ArrayList<>(hiddenFor)));
            }
            return Updates.combine(changes);
        }
    }
}

package io.chatplatform.history.desk;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Updates;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.history.store.MongoErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * The desk's canned replies, team-wide (collection {@code desk_replies}, unique {@code shortcut}): every agent sees
 * and may edit all of them, as a shared library of answers. Shortcuts are 1–32 of {@code [a-z0-9_-]}.
 */
@ApplicationScoped
public class CannedReplies {

    static final int MAX_TEXT = 4000;
    static final int MAX_REPLIES = 1000;
    private static final Pattern SHORTCUT = Pattern.compile("[a-z0-9_-]{1,32}");

    private final HistoryCollections store;

    public CannedReplies(HistoryCollections store) {
        this.store = store;
    }

    public List<CannedReply> all() {
        List<CannedReply> replies = new ArrayList<>();
        for (Document d : store.deskReplies().find().sort(Sorts.ascending("shortcut")).limit(MAX_REPLIES)) {
            replies.add(view(d));
        }
        return replies;
    }

    public CannedReply create(CannedReplyInput input, long by) {
        validate(input);
        if (store.deskReplies().countDocuments() >= MAX_REPLIES) {
            throw ApiException.conflict("at most " + MAX_REPLIES + " canned replies");
        }
        Document d = new Document("_id", UUID.randomUUID().toString()).append("shortcut", input.shortcut())
                .append("text", input.text()).append("updatedBy", by).append("updatedAt", System.currentTimeMillis());
        try {
            store.deskReplies().insertOne(d);
        } catch (MongoWriteException e) {
            throw duplicate(e, input.shortcut());
        }
        return view(d);
    }

    public CannedReply update(String id, CannedReplyInput input, long by) {
        validate(input);
        Document updated;
        try {
            updated = store.deskReplies().findOneAndUpdate(Filters.eq("_id", id),
                    Updates.combine(Updates.set("shortcut", input.shortcut()), Updates.set("text", input.text()),
                            Updates.set("updatedBy", by), Updates.set("updatedAt", System.currentTimeMillis())),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        } catch (MongoWriteException e) {
            throw duplicate(e, input.shortcut());
        } catch (com.mongodb.MongoCommandException e) {
            if (MongoErrors.isDuplicateKey(e.getErrorCode())) {
                throw ApiException.conflict("a canned reply /" + input.shortcut() + " exists");
            }
            throw e;
        }
        if (updated == null) {
            throw ApiException.notFound("no canned reply " + id);
        }
        return view(updated);
    }

    public void delete(String id) {
        if (store.deskReplies().deleteOne(Filters.eq("_id", id)).getDeletedCount() == 0) {
            throw ApiException.notFound("no canned reply " + id);
        }
    }

    private static void validate(CannedReplyInput input) {
        if (input == null) {
            throw ApiException.invalid("body {shortcut, text} is required");
        }
        if (input.shortcut() == null || !SHORTCUT.matcher(input.shortcut()).matches()) {
            throw ApiException.invalid("shortcut must be 1-32 characters of a-z, 0-9, _ and -");
        }
        if (input.text() == null || input.text().isBlank() || input.text().length() > MAX_TEXT) {
            throw ApiException.invalid("text must be 1-" + MAX_TEXT + " characters, not blank");
        }
    }

    private static RuntimeException duplicate(MongoWriteException e, String shortcut) {
        if (MongoErrors.isDuplicateKey(e.getError().getCode())) {
            return ApiException.conflict("a canned reply /" + shortcut + " exists");
        }
        return e;
    }

    private static CannedReply view(Document d) {
        return new CannedReply(d.getString("_id"), d.getString("shortcut"), d.getString("text"), Docs.getLong(d, "updatedBy", 0),
                Docs.getLong(d, "updatedAt", 0));
    }
}

package io.chatplatform.chat.sequence;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.chatplatform.chat.config.ChatConfig;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import org.bson.Document;

/**
 * The durable half of every counter whose values must never be handed out twice (a conversation's {@code seq}, desk
 * ticket ids): blocks of values reserved in MongoDB, {@code seq_blocks {_id: name, max}}, where {@code max} is the
 * highest value ever reserved. Redis hands values out of the current block; when Redis forgets the counter, the
 * next block starts above everything reserved before, so a value is never reused, whatever Redis loses.
 */
@Singleton
public class SeqBlocks {

    static final String COLLECTION = "seq_blocks";
    private static final String MAX = "max";
    private static final FindOneAndUpdateOptions UPSERT = new FindOneAndUpdateOptions().upsert(true);
    private static final FindOneAndUpdateOptions UPSERT_AFTER = new FindOneAndUpdateOptions().upsert(true)
            .returnDocument(ReturnDocument.AFTER);

    private final ReactiveMongoCollection<Document> blocks;
    private final long size;

    public SeqBlocks(ReactiveMongoClient mongo, ChatConfig config) {
        this.blocks = mongo.getDatabase(config.seq().database()).getCollection(COLLECTION);
        this.size = config.seq().blockSize();
    }

    public long size() {
        return size;
    }

    /**
     * Reserves the next block of {@code name}: the values {@code (end - size, end]}, returned as {@code end}.
     *
     * @param floor a value the block must lie above although it was never reserved here (a counter that Redis holds
     *              from before blocks existed); 0 when there is none
     */
    public Uni<Long> reserve(String name, long floor) {
        Uni<Document> raised = floor > 0
                ? blocks.findOneAndUpdate(Filters.eq("_id", name), Updates.max(MAX, floor), UPSERT)
                : Uni.createFrom().nullItem();
        return raised.flatMap(ignored -> blocks.findOneAndUpdate(Filters.eq("_id", name), Updates.inc(MAX, size), UPSERT_AFTER))
                .map(reserved -> ((Number) reserved.get(MAX)).longValue());
    }
}

package io.chatplatform.history.ingest;

import com.mongodb.client.model.WriteModel;
import java.util.List;
import org.bson.Document;

/** A Mongo write and the log entries it comes from (to blame the right entries if MongoDB refuses it). */
public record TrackedWrite(WriteModel<Document> model, List<String> entryIds) {
}

package io.chatplatform.history.deadletter;

import io.chatplatform.common.conversation.LogPartitions;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Date;
import org.bson.Document;

/** One dead letter as the admin API shows it; {@code at} and {@code replayedAt} in epoch ms. */
@RegisterForReflection
public record DeadLetterView(String id, String kind, String reason, String stream, String entryId, String consumer,
        Integer deliveries, Long at, String event, Long replayedAt, String replayResult) {

    static DeadLetterView of(Document d) {
        return new DeadLetterView(d.getString("_id"), d.getString("kind"), d.getString("reason"), d.getString("stream"),
                d.getString("id"), d.getString("consumer"), d.getInteger("deliveries"), millis(d.getDate("at")),
                d.getString(LogPartitions.EVENT_FIELD), millis(d.getDate("replayedAt")), d.getString("replayResult"));
    }

    private static Long millis(Date date) {
        return date == null ? null : date.getTime();
    }
}

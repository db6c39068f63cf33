package io.chatplatform.history.ingest;

import static io.chatplatform.history.consultation.ConsultationDocument.AGENT;
import static io.chatplatform.history.consultation.ConsultationDocument.CLAIMED_AT;
import static io.chatplatform.history.consultation.ConsultationDocument.CLOSED;
import static io.chatplatform.history.consultation.ConsultationDocument.CLOSED_AT;
import static io.chatplatform.history.consultation.ConsultationDocument.CREATED_AT;
import static io.chatplatform.history.consultation.ConsultationDocument.CUSTOMER;
import static io.chatplatform.history.consultation.ConsultationDocument.EVENTS;
import static io.chatplatform.history.consultation.ConsultationDocument.ID;
import static io.chatplatform.history.consultation.ConsultationDocument.STATE;
import static io.chatplatform.history.consultation.ConsultationDocument.STATE_TS;
import static io.chatplatform.history.consultation.ConsultationDocument.TOPIC;
import static io.chatplatform.history.consultation.ConsultationDocument.UPDATED_AT;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.history.consultation.ConsultationDocument;
import java.util.ArrayList;
import java.util.List;
import org.bson.conversions.Bson;

/**
 * The {@code consultations} writes of a desk event. Facts that only accumulate use operators that are
 * idempotent and commutative ($addToSet of the event, $min createdAt/claimedAt, $max closedAt/updatedAt);
 * state and agent are set only by an event at least as new as the one that set them last
 * ({@code stateTs <= ts}) and never after CLOSED, so a late or replayed older event cannot roll them back.
 */
final class ConsultationUpdates {

    private ConsultationUpdates() {
    }

    static List<TrackedWrite> build(List<Decoded.Accepted> events) {
        List<TrackedWrite> writes = new ArrayList<>();
        for (Decoded.Accepted accepted : events) {
            if (!(accepted.event() instanceof DeskEvent d)) {
                continue;
            }
            List<String> entry = List.of(accepted.entry().id());
            List<Bson> facts = new ArrayList<>();
            if (d.customer() > 0) {
                facts.add(Updates.set(CUSTOMER, d.customer()));
            }
            if (d.topic() != null) {
                facts.add(Updates.set(TOPIC, d.topic()));
            }
            facts.add(Updates.min(CREATED_AT, d.ts()));
            facts.add(Updates.max(UPDATED_AT, d.ts()));
            facts.add(Updates.addToSet(EVENTS, ConsultationDocument.event(d)));
            if (ConsultationDocument.isClaim(d.action())) {
                facts.add(Updates.min(CLAIMED_AT, d.ts()));
            }
            if (ConsultationDocument.isClose(d.action())) {
                facts.add(Updates.max(CLOSED_AT, d.ts()));
            }
            if (ConsultationDocument.isFirstResponse(d.action())) {
                facts.add(Updates.min(ConsultationDocument.FIRST_RESPONSE_AT, d.ts()));
            }
            if (ConsultationDocument.isSlaBreach(d.action())) {
                facts.add(Updates.set(ConsultationDocument.SLA_BREACHED, true));
            }
            if (ConsultationDocument.isRating(d.action()) && d.score() != null) {
                // chat lets a customer rate once (a resend carries the same rating), so a plain $set is idempotent
                facts.add(Updates.set(ConsultationDocument.RATING, ConsultationDocument.rating(d)));
            }
            writes.add(new TrackedWrite(new UpdateOneModel<>(Filters.eq(ID, d.conv()), Updates.combine(facts),
                    new UpdateOptions().upsert(true)), entry));

            if (isBookkeeping(d.action())) {
                continue; // these tell nothing new about state or agent
            }
            Bson notNewer = Filters.or(Filters.exists(STATE_TS, false), Filters.lte(STATE_TS, d.ts()));
            writes.add(new TrackedWrite(new UpdateOneModel<>(
                    Filters.and(Filters.eq(ID, d.conv()), Filters.ne(STATE, CLOSED), notNewer),
                    Updates.combine(Updates.set(STATE, d.state()), Updates.set(AGENT, d.agent()),
                            Updates.set(STATE_TS, d.ts()))), entry));
        }
        return writes;
    }

    private static boolean isBookkeeping(String action) {
        return ConsultationDocument.isFirstResponse(action) || ConsultationDocument.isSlaBreach(action)
                || ConsultationDocument.isRating(action);
    }
}

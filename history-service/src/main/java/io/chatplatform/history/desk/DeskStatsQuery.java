package io.chatplatform.history.desk;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.chatplatform.history.consultation.ConsultationDocument;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/**
 * Computes {@link DeskStats} in one pass over the period's consultations, read through the {@code created} index with
 * only the fields needed. Plain find + fold rather than an aggregation pipeline, so the in-memory MongoDB stand-in
 * gives the same answers as a real server.
 */
@ApplicationScoped
public class DeskStatsQuery {

    private final HistoryCollections store;

    public DeskStatsQuery(HistoryCollections store) {
        this.store = store;
    }

    public DeskStats compute(long from, long to) {
        Figures all = new Figures();
        Map<Long, Figures> byAgent = new TreeMap<>();
        long waiting = 0;
        for (Document d : store.consultations()
                .find(Filters.and(Filters.gte(ConsultationDocument.CREATED_AT, from), Filters.lt(ConsultationDocument.CREATED_AT, to)))
                .projection(Projections.include(ConsultationDocument.STATE, ConsultationDocument.AGENT, ConsultationDocument.CREATED_AT,
                        ConsultationDocument.FIRST_RESPONSE_AT, ConsultationDocument.SLA_BREACHED, ConsultationDocument.RATING))
                .batchSize(1000)) {
            String state = d.getString(ConsultationDocument.STATE);
            Long agent = Docs.getLongOrNull(d, ConsultationDocument.AGENT);
            all.add(d, state);
            if (agent != null) {
                byAgent.computeIfAbsent(agent, a -> new Figures()).add(d, state);
            }
            if ("WAITING".equals(state)) {
                waiting++;
            }
        }
        List<DeskStats.AgentStats> agents = new ArrayList<>();
        byAgent.forEach((agent, f) -> agents.add(new DeskStats.AgentStats(agent, f.closed, f.avgFirstResponse(), f.csat())));
        return new DeskStats(from, to, all.tickets, all.closed, waiting, all.avgFirstResponse(), all.slaBreaches, all.csat(), agents);
    }

    private static final class Figures {
        long tickets;
        long closed;
        long slaBreaches;
        long responses;
        long responseMillis;
        long ratings;
        long ratingSum;

        void add(Document d, String state) {
            tickets++;
            if (ConsultationDocument.CLOSED.equals(state)) {
                closed++;
            }
            if (Boolean.TRUE.equals(d.getBoolean(ConsultationDocument.SLA_BREACHED))) {
                slaBreaches++;
            }
            Long created = Docs.getLongOrNull(d, ConsultationDocument.CREATED_AT);
            Long first = Docs.getLongOrNull(d, ConsultationDocument.FIRST_RESPONSE_AT);
            if (created != null && first != null && first >= created) {
                responses++;
                responseMillis += first - created;
            }
            Document rating = d.get(ConsultationDocument.RATING, Document.class);
            Number score = rating == null ? null : rating.get("score", Number.class);
            if (score != null) {
                ratings++;
                ratingSum += score.longValue();
            }
        }

        Long avgFirstResponse() {
            return responses == 0 ? null : Math.round((double) responseMillis / responses);
        }

        Double csat() {
            return ratings == 0 ? null : Math.round(100.0 * ratingSum / ratings) / 100.0;
        }
    }
}

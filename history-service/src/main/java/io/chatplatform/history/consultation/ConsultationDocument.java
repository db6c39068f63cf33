package io.chatplatform.history.consultation;

import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.history.store.Docs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.bson.Document;

/**
 * A document of collection {@code consultations}: {@code _id} = the ticket's conversation id {@code c.{id}};
 * {@code state}, {@code agent} and {@code stateTs} (the ts of the desk event that set them); {@code customer},
 * {@code topic}; {@code createdAt} (earliest event), {@code claimedAt} (first grab/assignment),
 * {@code closedAt}, {@code updatedAt} (newest event); {@code firstResponseAt}, {@code slaBreached}, {@code rating};
 * and {@code events}, the set of desk events applied
 * ({@code $addToSet}, so a replayed event is stored once), from which the transfers are derived.
 */
public final class ConsultationDocument {

    public static final String ID = "_id";
    public static final String STATE = "state";
    public static final String STATE_TS = "stateTs";
    public static final String CUSTOMER = "customer";
    public static final String AGENT = "agent";
    public static final String TOPIC = "topic";
    public static final String CREATED_AT = "createdAt";
    public static final String CLAIMED_AT = "claimedAt";
    public static final String CLOSED_AT = "closedAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String EVENTS = "events";
    /** The serving agent's first message (epoch ms); the first-response time is {@code firstResponseAt - createdAt}. */
    public static final String FIRST_RESPONSE_AT = "firstResponseAt";
    /** true once the first response was later than chat's {@code chat.desk.first-response}. */
    public static final String SLA_BREACHED = "slaBreached";
    /** The customer's rating after close: {@code {score, comment?, ts}}. */
    public static final String RATING = "rating";

    public static final String CLOSED = "CLOSED";
    public static final List<String> STATES = List.of("WAITING", "SERVING", "TRANSFERRING", CLOSED);

    static final String TRANSFERRING = "transferring";
    static final String ACCEPTED = "accepted";
    static final String DECLINED = "declined";

    private ConsultationDocument() {
    }

    /** The event as kept in {@code events}: always the same field order, so equal events are equal documents. */
    public static Document event(DeskEvent e) {
        Document d = new Document("action", e.action());
        Docs.putIfNotNull(d, "state", e.state());
        Docs.putIfNotNull(d, "agent", e.agent());
        Docs.putIfNotNull(d, "actor", e.actor());
        Docs.putIfNotNull(d, "toAgent", e.toAgent());
        return d.append("ts", e.ts());
    }

    public static boolean isClaim(String action) {
        return "grabbed".equals(action) || "assigned".equals(action);
    }

    public static boolean isFirstResponse(String action) {
        return "responded".equals(action);
    }

    public static boolean isSlaBreach(String action) {
        return "sla".equals(action);
    }

    public static boolean isRating(String action) {
        return "rated".equals(action);
    }

    public static Document rating(DeskEvent e) {
        Document d = new Document("score", e.score());
        Docs.putIfNotNull(d, "comment", e.comment());
        return d.append("ts", e.ts());
    }

    public static boolean isClose(String action) {
        return "closed".equals(action);
    }

    public static ConsultationView view(Document d) {
        return new ConsultationView(d.getString(ID), d.getString(STATE), Docs.getLong(d, CUSTOMER, 0),
                Docs.getLongOrNull(d, AGENT), d.getString(TOPIC), Docs.getLongOrNull(d, CREATED_AT),
                Docs.getLongOrNull(d, CLAIMED_AT), Docs.getLongOrNull(d, CLOSED_AT),
                transfers(d.getList(EVENTS, Document.class, List.of())), Docs.getLong(d, UPDATED_AT, 0),
                Docs.getLongOrNull(d, FIRST_RESPONSE_AT), Boolean.TRUE.equals(d.getBoolean(SLA_BREACHED)), ratingView(d.get(RATING, Document.class)));
    }

    private static RatingView ratingView(Document d) {
        if (d == null) {
            return null;
        }
        Number score = d.get("score", Number.class);
        return new RatingView(score == null ? 0 : score.intValue(), d.getString("comment"), Docs.getLong(d, "ts", 0));
    }

    /**
     * Transfers in time order: every {@code transferring} event opens one (from its actor, or the serving
     * agent, to {@code toAgent}); the next {@code accepted}/{@code declined} by that target answers it.
     */
    static List<TransferView> transfers(List<Document> events) {
        List<Document> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(e -> Docs.getLong(e, "ts", 0)));
        List<TransferView> transfers = new ArrayList<>();
        for (Document e : sorted) {
            String action = e.getString("action");
            if (TRANSFERRING.equals(action)) {
                Long from = Docs.getLongOrNull(e, "actor");
                transfers.add(new TransferView(from != null ? from : Docs.getLongOrNull(e, "agent"),
                        Docs.getLongOrNull(e, "toAgent"), Docs.getLong(e, "ts", 0), null));
            } else if (ACCEPTED.equals(action) || DECLINED.equals(action)) {
                answer(transfers, Docs.getLongOrNull(e, "actor"), ACCEPTED.equals(action));
            }
        }
        return transfers;
    }

    private static void answer(List<TransferView> transfers, Long by, boolean accepted) {
        int open = -1;
        for (int i = 0; i < transfers.size(); i++) {
            TransferView t = transfers.get(i);
            if (t.accepted() == null && (by == null || Objects.equals(t.to(), by))) {
                open = i;
                break;
            }
        }
        if (open < 0) { // answered by someone else than the named target: take the oldest open offer
            for (int i = 0; i < transfers.size() && open < 0; i++) {
                if (transfers.get(i).accepted() == null) {
                    open = i;
                }
            }
        }
        if (open >= 0) {
            TransferView t = transfers.get(open);
            transfers.set(open, new TransferView(t.from(), t.to(), t.at(), accepted));
        }
    }
}

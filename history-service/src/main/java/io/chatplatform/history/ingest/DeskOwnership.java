package io.chatplatform.history.ingest;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.history.consultation.ConsultationDocument;
import io.chatplatform.history.store.Docs;
import io.chatplatform.history.store.HistoryCollections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * Keeps a reused desk ticket id from merging two consultations. A ticket {@code c.N} belongs to the customer of
 * its first stored event and was opened once, at the ts of its {@code opened} event. A later event that says
 * otherwise belongs to another consultation that was handed the same id (chat lost its ticket counter):
 * <ul>
 *   <li>a desk event for another customer, or an {@code opened} event with another ts;</li>
 *   <li>a message in {@code c.N} whose members snapshot does not contain the ticket's customer.</li>
 * </ul>
 * Such an entry is a <em>content conflict</em>: nothing of it is written (not the consultation, not the
 * conversation's members, not the message), so the new customer can neither read the old record or
 * transcript nor change them; the consumer dead-letters it with kind {@code conflict}, counts and logs it.
 * The owner comes from the stored consultation, else from the first desk event of the batch (stream order).
 */
final class DeskOwnership {

    private final HistoryCollections store;

    DeskOwnership(HistoryCollections store) {
        this.store = store;
    }

    /** @return entry id → reason, for the entries of the batch that belong to another consultation */
    Map<String, String> conflicts(List<Decoded.Accepted> events) {
        Set<String> tickets = new LinkedHashSet<>();
        for (Decoded.Accepted a : events) {
            if (isDesk(a.event())) {
                tickets.add(a.event().conv());
            }
        }
        if (tickets.isEmpty()) {
            return Map.of();
        }
        Map<String, Owner> owners = stored(tickets);
        Map<String, String> conflicts = new LinkedHashMap<>();
        for (Decoded.Accepted a : events) {
            StreamEvent e = a.event();
            if (!isDesk(e)) {
                continue;
            }
            Owner owner = owners.get(e.conv());
            String reason = null;
            if (e instanceof DeskEvent d) {
                if (owner == null) {
                    if (d.customer() > 0) {
                        owners.put(d.conv(), new Owner(d.customer(), isOpen(d) ? d.ts() : null));
                    }
                } else if (d.customer() > 0 && d.customer() != owner.customer) {
                    reason = "ticket " + d.conv() + " reused: it belongs to customer " + owner.customer
                            + ", this " + d.action() + " event to customer " + d.customer();
                } else if (isOpen(d) && owner.openedAt != null && owner.openedAt != d.ts()) {
                    reason = "ticket " + d.conv() + " reused: opened again at " + d.ts() + " (first opened at "
                            + owner.openedAt + ")";
                } else if (isOpen(d) && owner.openedAt == null) {
                    owners.put(d.conv(), new Owner(owner.customer, d.ts()));
                }
            } else if (e instanceof MessageEvent m && owner != null && m.members() != null
                    && !m.members().contains(owner.customer)) {
                reason = "ticket " + m.conv() + " reused: it belongs to customer " + owner.customer
                        + ", this message's members are " + m.members();
            }
            if (reason != null) {
                conflicts.put(a.entry().id(), reason);
            }
        }
        return conflicts;
    }

    private Map<String, Owner> stored(Set<String> tickets) {
        Map<String, Owner> owners = new HashMap<>();
        for (Document d : store.consultations().find(Filters.in(ConsultationDocument.ID, new ArrayList<>(tickets)))
                .projection(Projections.include(ConsultationDocument.CUSTOMER, ConsultationDocument.EVENTS))) {
            long customer = Docs.getLong(d, ConsultationDocument.CUSTOMER, 0);
            if (customer <= 0) {
                continue;
            }
            Long openedAt = null;
            for (Document event : d.getList(ConsultationDocument.EVENTS, Document.class, List.of())) {
                if ("opened".equals(event.getString("action"))) {
                    long ts = Docs.getLong(event, "ts", 0);
                    openedAt = openedAt == null ? ts : Math.min(openedAt, ts);
                }
            }
            owners.put(d.getString(ConsultationDocument.ID), new Owner(customer, openedAt));
        }
        return owners;
    }

    private static boolean isDesk(StreamEvent e) {
        return (e instanceof DeskEvent || e instanceof MessageEvent)
                && ConversationId.parse(e.conv()).map(c -> c.kind() == ConversationId.Kind.DESK).orElse(false);
    }

    private static boolean isOpen(DeskEvent d) {
        return "opened".equals(d.action());
    }

    /** @param openedAt ts of the ticket's opened event, null when not seen yet */
    private record Owner(long customer, Long openedAt) {
    }
}

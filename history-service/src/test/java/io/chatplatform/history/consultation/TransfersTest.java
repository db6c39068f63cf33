package io.chatplatform.history.consultation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class TransfersTest {

    private static Document event(String action, Long agent, Long actor, Long toAgent, long ts) {
        Document d = new Document("action", action);
        if (agent != null) {
            d.append("agent", agent);
        }
        if (actor != null) {
            d.append("actor", actor);
        }
        if (toAgent != null) {
            d.append("toAgent", toAgent);
        }
        return d.append("ts", ts);
    }

    @Test
    void pairsOffersWithAnswersWhateverTheStoredOrder() {
        List<Document> events = List.of(
                event("accepted", 3L, 3L, null, 50),
                event("transferring", 1L, 1L, 2L, 10),
                event("grabbed", 1L, 1L, null, 5),
                event("declined", 1L, 2L, null, 20),
                event("transferring", 1L, 1L, 3L, 40),
                event("transferring", 3L, null, 4L, 60));
        assertEquals(List.of(new TransferView(1L, 2L, 10, false), new TransferView(1L, 3L, 40, true),
                new TransferView(3L, 4L, 60, null)), ConsultationDocument.transfers(events));
    }
}

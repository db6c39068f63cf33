package io.chatplatform.chat.desk;

import io.chatplatform.chat.delivery.Delivery;
import io.chatplatform.chat.delivery.Router;
import io.chatplatform.chat.protocol.ServerFrames;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells waiting customers their place in the queue ({@code desk.position}) when it changes. The place last told is
 * kept per ticket in {@code {desk}:positions}, so after any queue change only the customers whose place moved hear
 * of it (two instances publishing at once may tell a customer the same place twice; never a wrong one for long, as
 * every later change publishes again).
 */
@Singleton
public class DeskPositions {

    /** Customers further back are told their place once they move up to here. */
    static final int MAX_TOLD = 500;

    private final DeskTickets tickets;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final Router router;

    public DeskPositions(ReactiveRedisDataSource redis, DeskTickets tickets, Router router) {
        this.tickets = tickets;
        this.hashes = redis.hash(String.class);
        this.router = router;
    }

    public Uni<Void> publish() {
        return tickets.queueIds(MAX_TOLD).flatMap(ids -> hashes.hgetall(DeskKeys.POSITIONS).flatMap(told -> {
            List<Uni<Void>> work = new ArrayList<>();
            Set<String> waiting = new HashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                long id = ids.get(i);
                String key = String.valueOf(id);
                int place = i + 1;
                waiting.add(key);
                if (!String.valueOf(place).equals(told.get(key))) {
                    work.add(hashes.hset(DeskKeys.POSITIONS, key, String.valueOf(place)).flatMap(set -> tell(id, place)));
                }
            }
            List<String> gone = told.keySet().stream().filter(key -> !waiting.contains(key)).toList();
            if (!gone.isEmpty()) {
                work.add(hashes.hdel(DeskKeys.POSITIONS, gone.toArray(String[]::new)).replaceWithVoid());
            }
            return work.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(work).andFailFast().replaceWithVoid();
        }));
    }

    private Uni<Void> tell(long ticketId, int position) {
        return tickets.get(ticketId).flatMap(ticket -> ticket == null || !Ticket.WAITING.equals(ticket.state())
                ? Uni.createFrom().voidItem()
                : router.route(new Delivery(ServerFrames.json(DeskFrames.Position.of(ticketId, position)),
                        List.of(ticket.customer()), null, 0)));
    }
}

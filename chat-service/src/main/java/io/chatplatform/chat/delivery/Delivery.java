package io.chatplatform.chat.delivery;

import java.util.Collection;

/**
 * A frame to hand to every connection of some users, except one connection (the one it came from).
 *
 * @param sentAtMillis when the event was created, for the delivery-latency metric (0 = not measured)
 */
public record Delivery(String frame, Collection<Long> uids, String exceptConnection, long sentAtMillis) {
}

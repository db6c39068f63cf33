package io.chatplatform.history.push;

/**
 * One notification for one device: the message, the recipient and its badge.
 *
 * @param preview the text shown: "New message" unless previews are on
 * @param unread  the recipient's total unread (the badge)
 */
public record Notification(String conv, long seq, String msgId, long from, long to, String device, String preview,
        long unread, long ts) {

    /** Stable per (message, device): the idempotency key providers and receivers may dedupe on. */
    public String deliveryId() {
        return msgId + ":" + to + ":" + device;
    }
}

package io.chatplatform.common.conversation;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The durable log is {@code P} Redis streams {@code chat:log:{p}}; a conversation always maps to the same
 * one (CRC-32 of its id, mod P), so its order holds while load spreads over Redis Cluster slots.
 * Producers and consumers must agree on P ({@code chat.log.partitions}, default 8).
 */
public final class LogPartitions {

    public static final int DEFAULT_PARTITIONS = 8;

    private LogPartitions() {
    }

    public static int partitionOf(String conversationId, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(conversationId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    /** Stream key of partition p; the braces make p a real hash tag so partitions spread over slots. */
    public static String streamKey(int partition) {
        return "chat:log:{" + partition + "}";
    }

    public static String streamKeyOf(String conversationId, int partitions) {
        return streamKey(partitionOf(conversationId, partitions));
    }

    /** The stream entry field holding the event JSON. */
    public static final String EVENT_FIELD = "e";
}

package io.chatplatform.chat.desk;

/**
 * Redis keys of the service desk. All share the hash tag {@code {desk}}: the grab, transfer and close
 * scripts touch a ticket, the queue and agents' ticket sets together, so they must live in one cluster slot.
 * Desk traffic is small next to chat traffic, so one slot carries it.
 */
final class DeskKeys {

    /** Last ticket id handed out, and the end of the id blocks reserved durably ({@code BlockFence}): ids are never reused. */
    static final String SEQUENCE = "{desk}:seq";
    static final String SEQUENCE_CEILING = "{desk}:seqceil";
    /** Sorted set: waiting ticket id → opened at (epoch ms). */
    static final String QUEUE = "{desk}:queue";
    /** Set: user ids that connected with role AGENT (transfer targets, queue broadcast audience). */
    static final String AGENTS = "{desk}:agents";

    private DeskKeys() {
    }

    /** Hash: state, customer, agent, toAgent, topic, createdAt, claimedAt, closedAt. */
    static String ticket(long id) {
        return "{desk}:ticket:" + id;
    }

    /** Set: ids of the open tickets an agent serves. */
    static String agentTickets(long agent) {
        return "{desk}:agent:" + agent + ":tickets";
    }
}

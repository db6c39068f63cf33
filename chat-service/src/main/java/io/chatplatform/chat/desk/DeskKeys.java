package io.chatplatform.chat.desk;

/**
 * Redis keys of the service desk. All share the hash tag {@code {desk}}: the grab, transfer, close, assignment and
 * requeue scripts touch tickets, the queue, agents' statuses and ticket sets together, so they must live in one
 * cluster slot (every key a script touches is passed in KEYS). Desk traffic is small next to chat traffic, so one
 * slot carries it. Presence ({@code presence:{uid}}) lives elsewhere and is only ever read apart from these scripts.
 */
final class DeskKeys {

    /** Last ticket id handed out, and the end of the id blocks reserved durably ({@code BlockFence}): ids are never reused. */
    static final String SEQUENCE = "{desk}:seq";
    static final String SEQUENCE_CEILING = "{desk}:seqceil";
    /** Sorted set: waiting ticket id → opened at (epoch ms). */
    static final String QUEUE = "{desk}:queue";
    /** Set: user ids that connected with role AGENT (transfer targets, queue broadcast audience). */
    static final String AGENTS = "{desk}:agents";
    /** Hash: agent → {@code online} / {@code away} / {@code offline}. */
    static final String STATUS = "{desk}:status";
    /** Hash: agent → when their status last changed (epoch ms): how long an offline agent has been away. */
    static final String STATUS_SINCE = "{desk}:status-since";
    /** Hash: agent → when they were last given a ticket (epoch ms): ties of auto-assignment go to the longest idle. */
    static final String LAST_ASSIGNED = "{desk}:last-assigned";
    /** Hash: agent → display name (for the system messages of auto-assignment). */
    static final String NAMES = "{desk}:names";
    /** Hash: waiting ticket id → the queue position last told to its customer. */
    static final String POSITIONS = "{desk}:positions";
    /** Sorted set: open ticket id without a first agent response → opened at (epoch ms); the SLA sweep reads it. */
    static final String AWAITING_RESPONSE = "{desk}:awaiting-response";

    private DeskKeys() {
    }

    /** Hash: state, customer, agent, toAgent, topic, createdAt, claimedAt, closedAt, firstResponseAt, slaBreached, rating. */
    static String ticket(long id) {
        return "{desk}:ticket:" + id;
    }

    /** Set: ids of the open tickets an agent serves. */
    static String agentTickets(long agent) {
        return "{desk}:agent:" + agent + ":tickets";
    }
}

package io.chatplatform.common.session;

/**
 * Redis mirrors of group membership, written by auth-service (MySQL holds the truth). The id in braces is
 * a real Redis Cluster hash tag.
 */
public final class GroupKeys {

    /**
     * Pub/sub channel on which chat (or history) asks auth to rebuild one group's mirrors from MySQL after a miss
     * ({@code group:{gid}:members} gone, e.g. Redis lost its data). Message: the group id in decimal.
     */
    public static final String REBUILD_CHANNEL = "auth:mirror:rebuild";

    /**
     * Present while the mirrors are known to be complete: auth sets it after rebuilding every group from MySQL and
     * rebuilds everything when it finds it missing (Redis lost its data).
     */
    public static final String COMPLETE_MARKER = "auth:mirror:complete";

    private GroupKeys() {
    }

    /** Set by auth (short expiry) when asked to rebuild a group that does not exist: the answer to a miss. */
    public static String absent(long groupId) {
        return "group:{" + groupId + "}:absent";
    }

    /** Set of the member user ids of group {@code gid}. */
    public static String members(long groupId) {
        return "group:{" + groupId + "}:members";
    }

    /**
     * Set of the uids of the group's owner and admins (the owner is always in it while the group exists). Written with
     * {@link #members} by the same script, so both always describe the same state.
     */
    public static String admins(long groupId) {
        return "group:{" + groupId + "}:admins";
    }

    /**
     * Hash of the group's send rules for chat: field {@link #ONLY_ADMINS_SEND} ({@code 1} when only the owner and admins
     * may send), field {@link #DISSOLVED} ({@code 1} once the group is dissolved: no more messages; the members set stays
     * so former members keep reading the history). Absent fields mean {@code 0}. Written with {@link #members}.
     */
    public static String settings(long groupId) {
        return "group:{" + groupId + "}:settings";
    }

    public static final String ONLY_ADMINS_SEND = "onlyAdminsSend";
    public static final String DISSOLVED = "dissolved";

    /** Set of the group ids user {@code uid} belongs to. */
    public static String groupsOf(long uid) {
        return "user:{" + uid + "}:groups";
    }
}

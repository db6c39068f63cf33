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
     * Set of the user ids of group {@code gid}'s owner and admins (a subset of {@link #members}), mirrored by auth from
     * the members' roles.
     */
    public static String admins(long groupId) {
        return "group:{" + groupId + "}:admins";
    }

    /** Set of the group ids user {@code uid} belongs to. */
    public static String groupsOf(long uid) {
        return "user:{" + uid + "}:groups";
    }
}

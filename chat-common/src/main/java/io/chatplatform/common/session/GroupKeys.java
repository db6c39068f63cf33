package io.chatplatform.common.session;

/**
 * Redis mirrors of group membership, written by auth-service (MySQL holds the truth). The id in braces is
 * a real Redis Cluster hash tag.
 */
public final class GroupKeys {

    private GroupKeys() {
    }

    /** Set of the member user ids of group {@code gid}. */
    public static String members(long groupId) {
        return "group:{" + groupId + "}:members";
    }

    /** Set of the group ids user {@code uid} belongs to. */
    public static String groupsOf(long uid) {
        return "user:{" + uid + "}:groups";
    }
}

package io.chatplatform.common.session;

/**
 * Redis mirror of which user ids exist, written by auth-service (MySQL holds the truth), read by chat before it creates
 * anything for a direct conversation. A bitmap per bucket of {@link #BUCKET_SIZE} consecutive ids (ids are MySQL
 * auto-increment, so dense: 8 KiB per 65,536 users), bit {@code uid % BUCKET_SIZE} set when the user exists. An id
 * never stops existing (a deleted account keeps its id, DESIGN "Accounts"), so a set bit stays true. The bucket in
 * braces is a real Redis Cluster hash tag: a bucket's bitmap and its absent markers share a slot.
 */
public final class UserKeys {

    /** Ids per bitmap key. */
    public static final long BUCKET_SIZE = 65_536;

    /** Prefix of a rebuild request on {@link GroupKeys#REBUILD_CHANNEL}: {@code user:{uid}} asks auth to confirm one id. */
    public static final String REBUILD_REQUEST_PREFIX = "user:";

    private UserKeys() {
    }

    public static long bucket(long uid) {
        return uid / BUCKET_SIZE;
    }

    /** The bitmap holding {@code uid}'s bit. */
    public static String exists(long uid) {
        return existsBucket(bucket(uid));
    }

    public static String existsBucket(long bucket) {
        return "users:{" + bucket + "}:exists";
    }

    /** The bit offset of {@code uid} in {@link #exists}. */
    public static long offset(long uid) {
        return uid % BUCKET_SIZE;
    }

    /** Set by auth (short expiry) when asked about an id MySQL does not have: the answer to a miss. */
    public static String absent(long uid) {
        return "users:{" + bucket(uid) + "}:absent:" + uid;
    }

    /**
     * Set of the user ids {@code uid} blocked (they may not send {@code uid} direct messages), plus the member
     * {@link #BLOCKS_MIRRORED}: a set without it is not mirrored (Redis lost it, or nobody asked yet) and chat asks auth
     * ({@link #blocksRebuildRequest}) instead of reading "no blocks". Shares the {uid} tag with {@link GroupKeys#groupsOf}.
     */
    public static String blocks(long uid) {
        return "user:{" + uid + "}:blocks";
    }

    /** The member of {@link #blocks} that says the set is mirrored (0 is no user id). */
    public static final String BLOCKS_MIRRORED = "0";

    /** Prefix of a request on {@link GroupKeys#REBUILD_CHANNEL} to mirror one user's blocks: {@code blocks:{uid}}. */
    public static final String BLOCKS_REQUEST_PREFIX = "blocks:";

    public static String blocksRebuildRequest(long uid) {
        return BLOCKS_REQUEST_PREFIX + uid;
    }

    /** The rebuild request for one user id. */
    public static String rebuildRequest(long uid) {
        return REBUILD_REQUEST_PREFIX + uid;
    }
}

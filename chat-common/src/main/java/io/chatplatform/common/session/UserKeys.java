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

    /** The rebuild request for one user id. */
    public static String rebuildRequest(long uid) {
        return REBUILD_REQUEST_PREFIX + uid;
    }
}

package io.chatplatform.history.conversation;

/**
 * A document of collection {@code read_markers}: {@code _id} = {@code <conv>:<uid>}, {@code conv}, {@code uid},
 * {@code seq} (only ever raised, with $max). A sender's marker moves to each message it sends, so one's
 * own messages never count as unread.
 */
public final class ReadMarkerDocument {

    public static final String ID = "_id";
    public static final String CONV = "conv";
    public static final String UID = "uid";
    public static final String SEQ = "seq";

    private ReadMarkerDocument() {
    }

    public static String id(String conv, long uid) {
        return conv + ":" + uid;
    }
}

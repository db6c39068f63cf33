package io.chatplatform.common.media;

/**
 * Redis contract of uploads (DESIGN Part 2 "Media"): history-service writes {@link #upload} when an upload is stored,
 * chat-service reads it when a {@code send} names {@code media {id}}. The id is the hash tag, so the key lives on one
 * cluster slot like every other key of the platform.
 */
public final class MediaKeys {

    private MediaKeys() {
    }

    /** String: the {@link UploadRecord} JSON; expires after {@code history.media.unreferenced-after}. */
    public static String upload(String id) {
        return "media:{" + id + "}";
    }

    /** Whether {@code id} has the shape of an upload id (a MongoDB ObjectId: 24 lower-case hex digits). */
    public static boolean validId(String id) {
        return id != null && id.matches("[0-9a-f]{24}");
    }
}

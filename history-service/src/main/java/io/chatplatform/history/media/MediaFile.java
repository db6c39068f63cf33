package io.chatplatform.history.media;

import io.chatplatform.history.store.Docs;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * One stored upload: its GridFS file document in {@code media.files} ({@code _id}, {@code length},
 * {@code uploadDate}, {@code filename}) and our {@code metadata}: owner, mime, name, sha256, width, height,
 * durationMs, thumbnail (the GridFS id of its JPEG thumbnail) and state ({@code stored} once complete).
 */
public record MediaFile(ObjectId id, Long owner, String mime, long size, String name, String sha256, Integer width,
        Integer height, Integer durationMs, ObjectId thumbnail, String state, long uploadedAt) {

    public static final String OWNER = "metadata.owner";
    public static final String STATE = "metadata.state";
    public static final String THUMB_OF = "metadata.thumbOf";
    public static final String STORED = "stored";

    public static MediaFile of(Document d) {
        Document m = d.get("metadata", Document.class);
        if (m == null) {
            m = new Document();
        }
        java.util.Date at = d.getDate("uploadDate");
        return new MediaFile(d.getObjectId("_id"), Docs.getLongOrNull(m, "owner"), m.getString("mime"),
                ((Number) d.get("length")).longValue(), m.getString("name"), m.getString("sha256"),
                Docs.getIntOrNull(m, "width"), Docs.getIntOrNull(m, "height"), Docs.getIntOrNull(m, "durationMs"),
                m.getObjectId("thumbnail"), m.getString("state"), at == null ? 0 : at.getTime());
    }

    public String etag() {
        return "\"" + sha256 + "\"";
    }
}

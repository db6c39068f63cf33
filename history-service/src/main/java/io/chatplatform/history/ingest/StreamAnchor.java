package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * One real entry of a log stream, remembered with the durable cursor: its id and a digest of its fields. The
 * cursor is only meaningful for the stream it was taken from; when the group has to be created again, the
 * stream still holding this exact entry at this exact id proves it is the same stream (not a new one that
 * Redis started after losing its data, whose ids may lie below or above the cursor).
 *
 * @param id     the entry's stream id (at or below the cursor)
 * @param digest first 16 bytes of SHA-256 over the entry's fields, hex
 */
public record StreamAnchor(StreamId id, String digest) {

    public static StreamAnchor of(LogEntry entry) {
        return new StreamAnchor(StreamId.parse(entry.id()), digest(entry.fields()));
    }

    /** True when {@code entry} is this very entry: same id, same fields. */
    public boolean matches(LogEntry entry) {
        return entry != null && !entry.isMissing() && id.equals(StreamId.parse(entry.id()))
                && digest.equals(digest(entry.fields()));
    }

    static String digest(Map<String, String> fields) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (fields != null) {
            fields.forEach((k, v) -> {
                sha.update(k.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
        }
        byte[] sum = sha.digest();
        return HexFormat.of().formatHex(sum, 0, 16);
    }
}

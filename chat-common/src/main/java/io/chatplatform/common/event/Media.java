package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An attachment: either sent by reference (the client uploads elsewhere and sends the URL), or an upload to
 * history-service's {@code POST /media}, then {@code id} names the stored file, {@code sha256} its digest, and
 * {@code url} / {@code thumbnail} are short-lived signed URLs relative to history-service (re-signed whenever the
 * message is served again).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Media(String url, String mime, Long size, String name, Integer width, Integer height, Integer durationMs,
        String id, String sha256, String thumbnail) {

    /** A URL-only attachment (no stored upload). */
    public Media(String url, String mime, Long size, String name, Integer width, Integer height, Integer durationMs) {
        this(url, mime, size, name, width, height, durationMs, null, null, null);
    }

    public Media withUrl(String newUrl) {
        return new Media(newUrl, mime, size, name, width, height, durationMs, id, sha256, thumbnail);
    }

    public Media withUrls(String newUrl, String newThumbnail) {
        return new Media(newUrl, mime, size, name, width, height, durationMs, id, sha256, newThumbnail);
    }
}

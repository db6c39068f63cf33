package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An attachment: either sent by reference (the client uploads elsewhere and sends the URL), or an upload to
 * history-service's {@code POST /media}, then {@code id} names the stored file and {@code sha256} its digest.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Media(String url, String mime, Long size, String name, Integer width, Integer height, Integer durationMs,
        String id, String sha256) {

    /** A URL-only attachment (no stored upload). */
    public Media(String url, String mime, Long size, String name, Integer width, Integer height, Integer durationMs) {
        this(url, mime, size, name, width, height, durationMs, null, null);
    }

    public Media withUrl(String newUrl) {
        return new Media(newUrl, mime, size, name, width, height, durationMs, id, sha256);
    }
}

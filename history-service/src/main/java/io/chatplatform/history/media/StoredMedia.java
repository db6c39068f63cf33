package io.chatplatform.history.media;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /media}'s answer: the stored metadata, a signed {@code url} of the file and, for images, a signed
 * {@code thumbnail} URL (both valid for {@code history.media.url-ttl}; the bearer also opens {@code /media/{id}}).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredMedia(String id, String mime, long size, String name, String sha256, Integer width, Integer height,
        Integer durationMs, String url, String thumbnail) {
}

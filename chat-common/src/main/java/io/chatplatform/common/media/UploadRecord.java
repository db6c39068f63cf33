package io.chatplatform.common.media;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What history-service stored of an upload, as it leaves it in Redis ({@link MediaKeys#upload}) for chat-service's
 * {@code send} check: the uploader, the stored metadata and whether a thumbnail exists.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UploadRecord(String id, long owner, String mime, long size, String name, String sha256, Integer width,
        Integer height, Integer durationMs, boolean thumbnail) {
}

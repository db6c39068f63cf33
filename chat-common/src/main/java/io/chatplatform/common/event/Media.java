package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An attachment sent by reference: the client uploads elsewhere and sends the URL. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Media(String url, String mime, Long size, String name, Integer width, Integer height, Integer durationMs) {
}

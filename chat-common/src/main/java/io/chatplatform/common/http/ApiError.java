package io.chatplatform.common.http;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The one error body of every REST endpoint: {@code {"error": CODE, "message": text}}. */
@RegisterForReflection
public record ApiError(String error, String message) {
}

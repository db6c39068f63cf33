package io.chatplatform.history.desk;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code POST /desk/replies} and {@code PUT /desk/replies/{id}}. */
@RegisterForReflection
public record CannedReplyInput(String shortcut, String text) {
}

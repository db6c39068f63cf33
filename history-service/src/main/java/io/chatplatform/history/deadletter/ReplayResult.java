package io.chatplatform.history.deadletter;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** @param result {@code stored}, {@code already-stored} or (replay of a kind) {@code refused} with the reason */
@RegisterForReflection
public record ReplayResult(String id, String result, String reason) {
}

package io.chatplatform.common.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Where a forwarded message was copied from. */
@RegisterForReflection
public record ForwardOf(String conv, String msgId) {
}

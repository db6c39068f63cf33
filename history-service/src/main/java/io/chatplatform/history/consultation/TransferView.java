package io.chatplatform.history.consultation;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One transfer offer of a ticket; {@code accepted} is null while the target has not answered. */
@RegisterForReflection
public record TransferView(Long from, Long to, long at, Boolean accepted) {
}

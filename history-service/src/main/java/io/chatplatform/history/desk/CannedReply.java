package io.chatplatform.history.desk;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A canned reply as returned: {@code shortcut} is what an agent types after {@code /}; times are epoch ms. */
@RegisterForReflection
public record CannedReply(String id, String shortcut, String text, long updatedBy, long updatedAt) {
}

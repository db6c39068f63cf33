package io.chatplatform.history.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** My conversations, newest activity first; pass {@code nextCursor} as {@code cursor} for the next page. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConversationPage(List<ConversationSummary> items, String nextCursor) {
}

package io.chatplatform.history.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A page of messages, ascending by seq; {@code after=} pages interleave the update items ({@code type: "update"}).
 *
 * @param nextBefore present when older messages exist: pass it as {@code before} for the previous page
 *                   (it is the lowest seq of this page)
 * @param nextAfter  present on forward pages ({@code after=}) when newer messages exist: pass it as
 *                   {@code after} for the next page (it is the highest seq of this page)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessagePage(List<HistoryItem> items, Long nextBefore, Long nextAfter) {

    /** The page without desk agents' private notes (for a reader who is not desk staff); the cursors stay. */
    public MessagePage withoutAgentNotes() {
        if (items.stream().noneMatch(MessagePage::isAgentNote)) {
            return this;
        }
        return new MessagePage(items.stream().filter(item -> !isAgentNote(item)).toList(), nextBefore, nextAfter);
    }

    /** Uploads ({@code media.id}) get fresh signed URLs from {@code fresh}; URL-only media stay. */
    public MessagePage withMediaUrls(java.util.function.UnaryOperator<io.chatplatform.common.event.Media> fresh) {
        if (items.stream().noneMatch(i -> i instanceof MessageView m && m.media() != null && m.media().id() != null)) {
            return this;
        }
        return new MessagePage(items.stream().map(item -> item instanceof MessageView m && m.media() != null
                && m.media().id() != null ? (HistoryItem) m.withMedia(fresh.apply(m.media())) : item)
                .toList(), nextBefore, nextAfter);
    }

    private static boolean isAgentNote(HistoryItem item) {
        return item instanceof MessageView message && message.agentsOnly();
    }
}

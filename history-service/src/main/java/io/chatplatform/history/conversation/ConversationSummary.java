package io.chatplatform.history.conversation;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One of my conversations.
 *
 * @param lastSeq     highest seq stored, of a message or an update (edit, recall, reaction): sync with after= up to it
 * @param readSeq     my read marker (0 when I never read it)
 * @param unread      stored messages with {@code readSeq < seq <= lastSeq}, at most {@code history.api.unread-cap}
 *                    (a seq gap left by a Redis loss does not count)
 * @param lastMessage preview of the newest message (null for a desk ticket without messages yet)
 * @param updatedAt   epoch ms of the newest activity; the list is sorted by it, newest first
 * @param mentionsMe  unread messages (not recalled, not my own) that mention me or {@code all}, at most the unread cap
 * @param muted       my mute applies now (PUT .../settings; no push notifications except mentions of me)
 * @param mutedUntil  epoch ms the mute ends, null when it has no end or the conversation is not muted
 */
@RegisterForReflection
public record ConversationSummary(String conv, long lastSeq, long readSeq, long unread, LastMessageView lastMessage,
        long updatedAt, long mentionsMe, boolean muted, Long mutedUntil) {
}

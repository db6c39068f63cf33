package io.chatplatform.history.http;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.history.config.HistoryConfig;

/** Query parameters parsed by hand so that every bad value is a 400 INVALID_FIELD JSON error. */
public final class QueryParams {

    private QueryParams() {
    }

    /** Absent → the default page size; otherwise clamped to [1, max-limit]; not a number → 400. */
    public static int limit(String raw, HistoryConfig.Api api) {
        return limit(raw, api.defaultLimit(), api.maxLimit());
    }

    /** Absent → {@code defaultLimit}; otherwise clamped to [1, maxLimit]; not a number → 400. */
    public static int limit(String raw, int defaultLimit, int maxLimit) {
        int max = Math.max(1, maxLimit);
        if (raw == null || raw.isBlank()) {
            return Math.min(Math.max(1, defaultLimit), max);
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("limit must be a whole number");
        }
        return (int) Math.max(1, Math.min(max, value));
    }

    /** A sequence number (0 or more), or null when absent. */
    public static Long seq(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(raw);
            if (value < 0) {
                throw ApiException.invalid(name + " must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name + " must be a sequence number");
        }
    }

    public static ConversationId conversation(String raw) {
        ConversationId conv = ConversationId.parse(raw).orElseThrow(QueryParams::badConversation);
        if (conv.kind() != ConversationId.Kind.DIRECT) {
            try {
                conv.number(); // chat-common's parse lets 19-digit numbers beyond a long through
            } catch (NumberFormatException e) {
                throw badConversation();
            }
        }
        return conv;
    }

    private static ApiException badConversation() {
        return ApiException.invalid("conv must be a conversation id (d.{a}.{b}, g.{gid} or c.{ticket})");
    }
}

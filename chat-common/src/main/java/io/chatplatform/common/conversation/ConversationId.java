package io.chatplatform.common.conversation;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conversation ids of DESIGN "Conversations": direct {@code d.{minUid}.{maxUid}}, group {@code g.{gid}},
 * desk consultation {@code c.{ticketId}}. Ids are canonical: numbers without sign or leading zeros.
 */
public record ConversationId(Kind kind, String value) {

    public enum Kind {
        DIRECT, GROUP, DESK
    }

    private static final String NUMBER = "(0|[1-9][0-9]{0,18})";
    private static final Pattern DIRECT = Pattern.compile("d\\." + NUMBER + "\\." + NUMBER);
    private static final Pattern GROUP = Pattern.compile("g\\." + NUMBER);
    private static final Pattern DESK = Pattern.compile("c\\." + NUMBER);

    public static ConversationId direct(long a, long b) {
        if (a == b) {
            throw new IllegalArgumentException("a direct conversation needs two different users");
        }
        return new ConversationId(Kind.DIRECT, "d." + Math.min(a, b) + "." + Math.max(a, b));
    }

    public static ConversationId group(long gid) {
        return new ConversationId(Kind.GROUP, "g." + gid);
    }

    public static ConversationId desk(long ticketId) {
        return new ConversationId(Kind.DESK, "c." + ticketId);
    }

    /** The id if {@code text} is a well-formed, canonical conversation id. */
    public static Optional<ConversationId> parse(String text) {
        if (text == null || text.length() > 48) {
            return Optional.empty();
        }
        try {
            Matcher direct = DIRECT.matcher(text);
            if (direct.matches()) {
                long a = Long.parseLong(direct.group(1));
                long b = Long.parseLong(direct.group(2));
                return a < b ? Optional.of(direct(a, b)) : Optional.empty();
            }
            Matcher group = GROUP.matcher(text);
            if (group.matches()) {
                return Optional.of(group(Long.parseLong(group.group(1))));
            }
            Matcher desk = DESK.matcher(text);
            if (desk.matches()) {
                return Optional.of(desk(Long.parseLong(desk.group(1))));
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The number after the prefix: group id or ticket id (not meaningful for direct conversations). */
    public long number() {
        return Long.parseLong(value.substring(2));
    }

    /** The two members of a direct conversation. */
    public List<Long> directMembers() {
        if (kind != Kind.DIRECT) {
            throw new IllegalStateException(value + " is not a direct conversation");
        }
        String[] parts = value.split("\\.");
        return List.of(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    @Override
    public String toString() {
        return value;
    }
}

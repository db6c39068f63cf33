package io.chatplatform.chat.message;

import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.Media;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Set;
import java.util.regex.Pattern;

/** A validated {@code send} frame. */
record OutgoingMessage(String cid, ConversationId conv, String kind, String body, Media media) {

    private static final Set<String> KINDS = Set.of("text", "image", "voice", "file");
    private static final Pattern MIME = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}",
            Pattern.CASE_INSENSITIVE);

    static OutgoingMessage from(ClientFrame frame, long sender, int maxBodyChars) {
        String cid = frame.requiredToken("cid");
        ConversationId conv = target(frame.raw("to"), sender);
        String kind = frame.requiredString("kind", 16);
        if (!KINDS.contains(kind)) {
            throw FrameException.invalid("'kind' must be one of text, image, voice, file");
        }
        String body = frame.optionalString("body", maxBodyChars);
        JsonNode mediaNode = frame.raw("media");
        if (kind.equals("text")) {
            if (body == null || body.isBlank()) {
                throw FrameException.invalid("a text message needs a non-empty 'body' of at most " + maxBodyChars + " characters");
            }
            if (mediaNode != null && !mediaNode.isNull()) {
                throw FrameException.invalid("a text message has no 'media'");
            }
            return new OutgoingMessage(cid, conv, kind, body, null);
        }
        return new OutgoingMessage(cid, conv, kind, body, media(mediaNode));
    }

    private static ConversationId target(JsonNode to, long sender) {
        if (to == null || to.isNull()) {
            throw FrameException.invalid("'to' is required: a conversation id or {\"user\": uid}");
        }
        if (to.isTextual()) {
            return ConversationId.parse(to.asText())
                    .orElseThrow(() -> FrameException.invalid("'to' is not a conversation id (d.{a}.{b}, g.{gid}, c.{ticket})"));
        }
        JsonNode user = to.isObject() ? to.get("user") : null;
        if (user == null || !user.isIntegralNumber() || !user.canConvertToLong() || user.asLong() <= 0) {
            throw FrameException.invalid("'to' must be a conversation id or {\"user\": uid}");
        }
        if (user.asLong() == sender) {
            throw FrameException.invalid("a direct conversation needs another user");
        }
        return ConversationId.direct(sender, user.asLong());
    }

    private static Media media(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw FrameException.invalid("'media' {url, mime, size?} is required for this kind");
        }
        String url = text(node, "url", 2048, true);
        try {
            URI uri = URI.create(url);
            if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
                throw FrameException.invalid("'media.url' must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw FrameException.invalid("'media.url' must be an http(s) URL");
        }
        String mime = text(node, "mime", 128, true);
        if (!MIME.matcher(mime).matches()) {
            throw FrameException.invalid("'media.mime' must be a MIME type like image/png");
        }
        return new Media(url, mime, number(node, "size"), text(node, "name", 255, false), integer(node, "width"),
                integer(node, "height"), integer(node, "durationMs"));
    }

    private static String text(JsonNode node, String field, int max, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw FrameException.invalid("'media." + field + "' is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty() || value.asText().length() > max) {
            throw FrameException.invalid("'media." + field + "' must be a string of 1-" + max + " characters");
        }
        return value.asText();
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw FrameException.invalid("'media." + field + "' must be a non-negative integer");
        }
        return value.asLong();
    }

    private static Integer integer(JsonNode node, String field) {
        Long value = number(node, field);
        if (value != null && value > Integer.MAX_VALUE) {
            throw FrameException.invalid("'media." + field + "' is too large");
        }
        return value == null ? null : value.intValue();
    }
}

package io.chatplatform.chat.message;

import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.ForwardOf;
import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.Mentions;
import io.chatplatform.common.media.MediaKeys;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code send} frame. With {@code forwardOf} the content (kind, body, media) is copied from that message
 * later ({@link MessageReferences}) and the frame's own is ignored.
 */
record SendRequest(String cid, ConversationId conv, String kind, String body, Media media, String replyTo,
        Mentions mentions, ForwardOf forwardOf) {

    /** Most user ids one message may mention. */
    static final int MAX_MENTIONS = 50;

    boolean plain() {
        return replyTo == null && mentions == null && forwardOf == null;
    }

    /** Whether {@code media} names an upload ({@code {id}}) whose stored metadata is still to be filled in. */
    boolean namesUpload() {
        return media != null && media.id() != null && media.url() == null;
    }

    SendRequest withContent(String kind, String body, Media media) {
        return new SendRequest(cid, conv, kind, body, media, replyTo, mentions, forwardOf);
    }

    private static final Set<String> KINDS = Set.of("text", "image", "voice", "file");
    private static final Pattern MIME = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}",
            Pattern.CASE_INSENSITIVE);

    static SendRequest from(ClientFrame frame, long sender, int maxBodyChars) {
        String cid = frame.requiredToken("cid");
        ConversationId conv = target(frame.raw("to"), sender);
        String replyTo = frame.raw("replyTo") == null || frame.raw("replyTo").isNull() ? null : frame.requiredToken("replyTo");
        Mentions mentions = mentions(frame.raw("mentions"));
        ForwardOf forwardOf = forwardOf(frame.raw("forwardOf"));
        if (forwardOf != null) {
            return new SendRequest(cid, conv, null, null, null, replyTo, mentions, forwardOf);
        }
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
            return new SendRequest(cid, conv, kind, body, null, replyTo, mentions, null);
        }
        return new SendRequest(cid, conv, kind, body, media(mediaNode), replyTo, mentions, null);
    }

    private static Mentions mentions(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_MENTIONS) {
            throw FrameException.invalid("'mentions' must be an array of 1-" + MAX_MENTIONS + " user ids, or [\"all\"]");
        }
        if (node.size() == 1 && Mentions.ALL.equals(node.get(0).asText(null))) {
            return Mentions.everyone();
        }
        java.util.LinkedHashSet<Long> uids = new java.util.LinkedHashSet<>();
        for (JsonNode uid : node) {
            if (!uid.isIntegralNumber() || !uid.canConvertToLong() || uid.asLong() <= 0) {
                throw FrameException.invalid("'mentions' must be an array of user ids, or [\"all\"]");
            }
            uids.add(uid.asLong());
        }
        return Mentions.of(new java.util.ArrayList<>(uids));
    }

    private static ForwardOf forwardOf(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode conv = node.isObject() ? node.get("conv") : null;
        JsonNode msgId = node.isObject() ? node.get("msgId") : null;
        if (conv == null || !conv.isTextual() || ConversationId.parse(conv.asText()).isEmpty()
                || msgId == null || !msgId.isTextual() || !msgId.asText().matches("[\\x21-\\x7e]{1,64}")) {
            throw FrameException.invalid("'forwardOf' must be {conv, msgId} of an existing message");
        }
        return new ForwardOf(conv.asText(), msgId.asText());
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
            throw FrameException.invalid("'media' {id} of an upload or {url, mime, size?} is required for this kind");
        }
        JsonNode id = node.get("id");
        if (id != null && !id.isNull()) {
            if (!id.isTextual() || !MediaKeys.validId(id.asText())) {
                throw FrameException.invalid("'media.id' must be the id POST /media returned");
            }
            // everything else comes from the stored upload (Uploads), whatever the frame says
            return new Media(null, null, null, null, null, null, null, id.asText(), null, null);
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

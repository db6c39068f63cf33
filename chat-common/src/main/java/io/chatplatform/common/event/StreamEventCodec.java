package io.chatplatform.common.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * JSON codec of {@link StreamEvent}s. Decoding is forward compatible: unknown fields are ignored and an
 * unknown type or newer version decodes to empty (skip it), while malformed JSON is an error (poison).
 */
public final class StreamEventCodec {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private StreamEventCodec() {
    }

    public static String encode(StreamEvent event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.type() + " event", e);
        }
    }

    /**
     * @return the event, or empty for a well-formed event of a type this version does not know
     * @throws MalformedEventException when the entry is not a valid event
     */
    public static Optional<StreamEvent> decode(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON", e);
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw new MalformedEventException("not an event object", null);
        }
        Class<? extends StreamEvent> type = switch (node.get("type").asText()) {
            case MessageEvent.TYPE -> MessageEvent.class;
            case ReadEvent.TYPE -> ReadEvent.class;
            case DeskEvent.TYPE -> DeskEvent.class;
            case UpdateEvent.TYPE -> UpdateEvent.class;
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        try {
            StreamEvent event = JSON.treeToValue(node, type);
            if (event.conv() == null) {
                throw new MalformedEventException("event without conv", null);
            }
            return Optional.of(event);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("fields of the wrong shape", e);
        }
    }

    public static class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

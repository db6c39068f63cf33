package io.chatplatform.common.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Optional;

/**
 * JSON codec of {@link StreamEvent}s. Decoding is forward compatible: unknown fields are ignored and an
 * unknown type or newer version decodes to empty (skip it), while malformed JSON is an error (poison).
 */
public final class StreamEventCodec {

    /** Its own mapper, not the services' one: the log's format must not change with a service's JSON settings. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE) // an unknown type decodes to null: skipped
            .build();

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
        try {
            StreamEvent event = JSON.treeToValue(node, StreamEvent.class);
            if (event == null) {
                return Optional.empty();
            }
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

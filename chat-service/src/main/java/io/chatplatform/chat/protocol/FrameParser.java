package io.chatplatform.chat.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Text frame → {@link ClientFrame}: one JSON object with a string {@code type}. */
public final class FrameParser {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private FrameParser() {
    }

    public static ClientFrame parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FrameException(ErrorCode.BAD_JSON, "frame is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new FrameException(ErrorCode.BAD_FRAME, "a frame is one JSON object");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            throw new FrameException(ErrorCode.BAD_FRAME, "'type' is required");
        }
        return new ClientFrame((ObjectNode) node, type.asText(), ClientFrame.validId(node.get("id")));
    }

    /** The correlation id of a frame that failed to parse, if one can be read, so the error can echo it. */
    public static String idOf(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            JsonNode id = node == null ? null : node.get("id");
            return id != null && (id.isTextual() || id.isIntegralNumber()) && id.asText().length() <= 64 ? id.asText() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}

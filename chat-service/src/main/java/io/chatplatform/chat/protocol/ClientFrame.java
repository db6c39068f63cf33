package io.chatplatform.chat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * One parsed client frame: its type, optional correlation id, and typed accessors that validate fields and
 * throw {@link FrameException} with {@code INVALID_FIELD} and a clear message.
 */
public final class ClientFrame {

    private static final Pattern ID = Pattern.compile("[\\x21-\\x7e]{1,64}");

    private final ObjectNode json;
    private final String type;
    private final String id;

    ClientFrame(ObjectNode json, String type, String id) {
        this.json = json;
        this.type = type;
        this.id = id;
    }

    public String type() {
        return type;
    }

    /** The client's correlation id, echoed in the reply; may be null. */
    public String id() {
        return id;
    }

    public JsonNode raw(String field) {
        return json.get(field);
    }

    public String requiredString(String field, int maxLength) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw FrameException.invalid("'" + field + "' is required");
        }
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > maxLength) {
            throw FrameException.invalid("'" + field + "' must be a string of 1-" + maxLength + " characters");
        }
        return node.asText();
    }

    public String optionalString(String field, int maxLength) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : requiredString(field, maxLength);
    }

    /** A client-chosen token (ids): 1-64 printable ASCII characters without spaces. */
    public String requiredToken(String field) {
        String value = requiredString(field, 64);
        if (!ID.matcher(value).matches()) {
            throw FrameException.invalid("'" + field + "' must be 1-64 printable ASCII characters without spaces");
        }
        return value;
    }

    public long requiredPositiveLong(String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw FrameException.invalid("'" + field + "' is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw FrameException.invalid("'" + field + "' must be a non-negative integer");
        }
        return node.asLong();
    }

    static String validId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if ((node.isTextual() && ID.matcher(node.asText()).matches())) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        throw FrameException.invalid("'id' must be a string of 1-64 printable ASCII characters or an integer");
    }
}

package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The message a message answers, as the sender's server saw it when the reply was sent.
 *
 * @param preview the quoted text, cut short; absent for media without caption and never present once the quoted
 *                message is recalled (history removes it then)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplyTo(String msgId, long seq, long from, String kind, String preview) {

    /** Longest preview, in code points. */
    public static final int PREVIEW_LENGTH = 100;

    public static String previewOf(String body) {
        if (body == null) {
            return null;
        }
        return body.codePointCount(0, body.length()) <= PREVIEW_LENGTH ? body
                : body.substring(0, body.offsetByCodePoints(0, PREVIEW_LENGTH));
    }
}

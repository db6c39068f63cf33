package io.chatplatform.history.http;

import io.chatplatform.common.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Position in a list sorted by (key desc, id desc): the last item of the previous page. Sent to clients as
 * an opaque token, base64url of {@code v1:<key>:<id>}.
 */
public record KeysetCursor(long key, String id) {

    private static final String VERSION = "v1:";

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + key + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** @return null for an absent cursor; 400 INVALID_FIELD for one this service did not make */
    public static KeysetCursor decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            if (token.length() > 256) {
                throw new IllegalArgumentException();
            }
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!text.startsWith(VERSION)) {
                throw new IllegalArgumentException();
            }
            String rest = text.substring(VERSION.length());
            int colon = rest.indexOf(':');
            if (colon <= 0 || colon == rest.length() - 1) {
                throw new IllegalArgumentException();
            }
            return new KeysetCursor(Long.parseLong(rest.substring(0, colon)), rest.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("cursor is not a cursor this service returned");
        }
    }
}

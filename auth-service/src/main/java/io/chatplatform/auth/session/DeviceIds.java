package io.chatplatform.auth.session;

import io.chatplatform.auth.user.AccountRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which device a login is for: the body's {@code deviceId}, else the {@code X-Device-Id} header, else one
 * derived from the User-Agent (one token per user agent, the classic scheme).
 */
public final class DeviceIds {

    private DeviceIds() {
    }

    public static String resolve(String fromBody, String fromHeader, String userAgent) {
        if (fromBody != null) {
            return AccountRules.deviceId(fromBody);
        }
        if (fromHeader != null) {
            return AccountRules.deviceId(fromHeader);
        }
        return "ua-" + sha256Hex(userAgent == null ? "" : userAgent).substring(0, 16);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

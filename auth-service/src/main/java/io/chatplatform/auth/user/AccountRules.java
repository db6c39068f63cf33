package io.chatplatform.auth.user;

import io.chatplatform.common.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Field rules for usernames, passwords, display names and device ids, with clear 400 errors. */
public final class AccountRules {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MIN_PASSWORD = 8;
    /** bcrypt only reads the first 72 bytes; longer passwords would silently share a hash. */
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final int MAX_DISPLAY_NAME = 64;

    private AccountRules() {
    }

    public static String username(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ApiException.invalid("username must be 3-32 characters of A-Z a-z 0-9 _ . -");
        }
        return username;
    }

    public static String password(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw ApiException.invalid("password must be at least " + MIN_PASSWORD + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw ApiException.invalid("password must be at most " + MAX_PASSWORD_BYTES + " bytes");
        }
        return password;
    }

    public static String displayName(String displayName, String fallback) {
        if (displayName == null) {
            return fallback;
        }
        String trimmed = displayName.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_DISPLAY_NAME || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("displayName must be 1-" + MAX_DISPLAY_NAME + " printable characters");
        }
        return trimmed;
    }

    /**
     * An avatar: a media id as history-service will hand them out (1-64 characters of A-Z a-z 0-9 _ -), or {@code ""}
     * to remove it. Media upload does not exist yet, so only the shape is checked, not that the upload exists.
     */
    public static String avatar(String avatar) {
        if (!avatar.isEmpty() && !MEDIA_ID.matcher(avatar).matches()) {
            throw ApiException.invalid("avatar must be a media id (1-64 characters of A-Z a-z 0-9 _ -) or \"\" to remove it");
        }
        return avatar;
    }

    public static String deviceId(String deviceId) {
        if (!DEVICE_ID.matcher(deviceId).matches()) {
            throw ApiException.invalid("deviceId must be 1-64 characters of A-Z a-z 0-9 _ . : -");
        }
        return deviceId;
    }
}

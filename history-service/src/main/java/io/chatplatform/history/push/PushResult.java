package io.chatplatform.history.push;

import java.time.Duration;

/** What a provider answered. */
public sealed interface PushResult {

    PushResult DELIVERED = new Delivered();
    PushResult UNREGISTERED = new Unregistered();

    record Delivered() implements PushResult {
    }

    /** 5xx, 429 or an I/O error: worth another attempt, after {@code retryAfter} when the provider said so. */
    record Retry(String reason, Duration retryAfter) implements PushResult {
    }

    /** The token is no longer valid (FCM 404 UNREGISTERED, APNs 410): the registration is removed. */
    record Unregistered() implements PushResult {
    }

    /** Refused for good (other 4xx): dead-lettered without retries. */
    record Failed(String reason) implements PushResult {
    }

    /** 5xx/429 → retry (honouring Retry-After in seconds), 2xx → delivered, anything else → failed. */
    static PushResult ofStatus(int status, String retryAfter, String body) {
        if (status >= 200 && status < 300) {
            return DELIVERED;
        }
        if (status == 429 || status >= 500) {
            return new Retry("HTTP " + status, parseRetryAfter(retryAfter));
        }
        return new Failed("HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body)));
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(value.strip(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}

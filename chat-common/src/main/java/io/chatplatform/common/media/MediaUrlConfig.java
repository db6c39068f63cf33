package io.chatplatform.common.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Signed media URLs, shared by chat-service (signs them into message frames) and history-service (signs them into
 * history items and checks them): both must read the same key, so it is one config name in both services.
 */
@ConfigMapping(prefix = "media")
public interface MediaUrlConfig {

    /**
     * HMAC-SHA256 key of the signed URLs ({@code ?exp=&sig=}), env {@code MEDIA_URL_SECRET}; every replica of chat and
     * history needs the same one. Unset: a random key per process (signed URLs then only work where they were made).
     */
    Optional<String> urlSecret();

    /** How long a signed URL stays valid (env {@code MEDIA_URL_TTL}). */
    @WithDefault("15m")
    Duration urlTtl();
}

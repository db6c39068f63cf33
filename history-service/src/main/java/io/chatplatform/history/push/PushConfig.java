package io.chatplatform.history.push;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The push notifier (README "Push"). Every key has an env override, e.g. {@code push.fcm.enabled} →
 * {@code PUSH_FCM_ENABLED}.
 */
@ConfigMapping(prefix = "push")
public interface PushConfig {

    /** Run the notifier on this replica (it joins consumer group {@link #group()} on every log partition). */
    @WithDefault("true")
    boolean enabled();

    /** The notifier's consumer group on {@code chat:log:{p}}, apart from the ingest's. */
    @WithDefault("push")
    String group();

    /** Entries per XREADGROUP. */
    @WithDefault("100")
    int batchSize();

    /** How long one XREADGROUP blocks waiting for new entries (a duration). */
    @WithDefault("2s")
    Duration blockTime();

    /** Entries pending longer than this in another (dead) consumer are taken over (a duration). */
    @WithDefault("60s")
    Duration claimIdle();

    /** How long the (message, device) sent-marker lives (a duration); redeliveries within it are not sent again. */
    @WithDefault("7d")
    Duration sentMarkerTtl();

    /** Include the message text (cut to {@link #previewLength()}) in notifications; off: "New message". */
    @WithDefault("false")
    boolean previews();

    @WithDefault("100")
    int previewLength();

    /** Attempts per notification (first try included) on 5xx, 429 and I/O errors before it is dead-lettered. */
    @WithDefault("5")
    int maxAttempts();

    /** First wait before a retry, doubled each time up to {@link #retryBackoffMax()} (durations). */
    @WithDefault("200ms")
    Duration retryBackoffInitial();

    @WithDefault("10s")
    Duration retryBackoffMax();

    /** A provider's Retry-After longer than this is cut to it (a duration). */
    @WithDefault("60s")
    Duration maxRetryAfter();

    /** Connect and response timeout of provider requests (a duration). */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Stream notifications that failed for good go to (field {@code n}: JSON). */
    @WithDefault("push:dlq")
    String deadLetterStream();

    @WithDefault("100000")
    long deadLetterMaxLen();

    Webhook webhook();

    Fcm fcm();

    Apns apns();

    interface Webhook {
        @WithDefault("true")
        boolean enabled();

        /** HMAC-SHA256 key of {@code X-Chat-Signature}. Env {@code PUSH_WEBHOOK_SECRET}; unset: webhooks are not sent. */
        Optional<String> secret();
    }

    interface Fcm {
        @WithDefault("false")
        boolean enabled();

        /** Firebase project id. */
        Optional<String> projectId();

        /** Base URL of the FCM HTTP v1 API. */
        @WithDefault("https://fcm.googleapis.com")
        String baseUrl();

        /** OAuth2 token endpoint; default the one in the service account, else Google's. */
        Optional<String> tokenUri();

        /** Service-account {@code client_email} (the JWT issuer). */
        Optional<String> clientEmail();

        /** Service-account private key (PKCS#8 PEM, RSA). Env {@code PUSH_FCM_PRIVATE_KEY}. */
        Optional<String> privateKey();
    }

    interface Apns {
        @WithDefault("false")
        boolean enabled();

        /** {@code https://api.push.apple.com} (production) or {@code https://api.sandbox.push.apple.com}. */
        @WithDefault("https://api.push.apple.com")
        String baseUrl();

        /** The app's bundle id, sent as {@code apns-topic}. */
        Optional<String> topic();

        /** Apple developer team id (the provider token's issuer). */
        Optional<String> teamId();

        /** Id of the .p8 signing key (the provider token's {@code kid}). */
        Optional<String> keyId();

        /** The .p8 key (PKCS#8 PEM, EC P-256). Env {@code PUSH_APNS_PRIVATE_KEY}. */
        Optional<String> privateKey();

        /** Trust any server certificate (tests with a self-signed local server only). */
        @WithDefault("false")
        boolean trustAll();
    }
}

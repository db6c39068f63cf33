package io.chatplatform.history.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.common.session.PushKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST <url>} with JSON {@code {type:"message", conv, seq, msgId, from, to, preview, unread, ts}}, headers
 * {@code X-Chat-Timestamp} (epoch seconds), {@code X-Chat-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." +
 * body)>} and {@code X-Chat-Delivery} (stable per message and device, for receivers to dedupe). The URL was checked
 * against {@code push.webhook.allowed-hosts} by auth at registration; redirects are not followed.
 */
@ApplicationScoped
public class WebhookProvider implements PushProvider {

    private final PushConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public WebhookProvider(PushConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return PushKeys.WEBHOOK;
    }

    @Override
    public boolean ready() {
        return config.webhook().enabled() && config.webhook().secret().filter(s -> !s.isBlank()).isPresent();
    }

    @Override
    public PushResult send(Notification n, String url) {
        String body = body(n);
        String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("X-Chat-Timestamp", timestamp)
                    .header("X-Chat-Signature", "sha256=" + sign(config.webhook().secret().orElseThrow(), timestamp, body))
                    .header("X-Chat-Delivery", n.deliveryId())
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        } catch (IllegalArgumentException e) {
            return new PushResult.Failed("bad webhook URL");
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return PushResult.ofStatus(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
        } catch (IOException e) {
            return new PushResult.Retry(e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PushResult.Retry("interrupted", null);
        }
    }

    String body(Notification n) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "message");
        payload.put("conv", n.conv());
        payload.put("seq", n.seq());
        payload.put("msgId", n.msgId());
        payload.put("from", n.from());
        payload.put("to", n.to());
        payload.put("preview", n.preview());
        payload.put("unread", n.unread());
        payload.put("ts", n.ts());
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body}. */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.chatplatform.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Sends requests all at once (released together from a latch, one thread each) over real HTTP and checks the load
 * rule: every answer is 2xx, or 503 with {@code Retry-After} and the JSON error body {@code UNAVAILABLE}; never a 500.
 * {@link #upgrades} does the same for WebSocket upgrades: 101, or 429/503 with {@code Retry-After}.
 */
public final class Burst {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Burst() {
    }

    /** Sends n requests made by request(i) at once; returns the count per status, after checking the rule. */
    public static Map<Integer, Integer> send(String label, int n, IntFunction<HttpRequest> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        // the client's own executor: the n sender threads all block in send()
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HttpRequest r = request.apply(i);
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return client.send(r, HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            go.countDown();
            Map<Integer, Integer> counts = new TreeMap<>();
            Map<String, Integer> refusals = new TreeMap<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
                counts.merge(response.statusCode(), 1, Integer::sum);
                check(response);
                if (response.statusCode() == 503) {
                    refusals.merge(JSON.readTree(response.body()).path("message").asText(), 1, Integer::sum);
                }
            }
            System.out.printf("%s: %d concurrent -> %s (status: count)%s%n", label, n, counts,
                    refusals.isEmpty() ? "" : "; 503 messages: " + refusals);
            assertEquals(n, counts.values().stream().mapToInt(Integer::intValue).sum());
            return counts;
        } finally {
            threads.shutdownNow();
        }
    }

    /** A WebSocket upgrade to send: its URI and request headers. */
    public record Upgrade(URI uri, Map<String, String> headers) {
    }

    /**
     * Starts n WebSocket upgrades made by upgrade(i) at once (asynchronous handshakes on one JDK client) and returns the
     * count per answer status, 101 for an upgrade; each answer must be 101, or 429/503 with {@code Retry-After} >= 1.
     * The sockets that opened are closed again before this returns.
     */
    public static Map<Integer, Integer> upgrades(String label, int n, IntFunction<Upgrade> upgrade) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<CompletableFuture<WebSocket>> answers = new ArrayList<>();
        List<WebSocket> opened = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Upgrade u = upgrade.apply(i);
                WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60));
                u.headers().forEach(builder::header);
                answers.add(builder.buildAsync(u.uri(), new WebSocket.Listener() { }).toCompletableFuture());
            }
            Map<Integer, Integer> counts = new TreeMap<>();
            for (CompletableFuture<WebSocket> answer : answers) {
                try {
                    opened.add(answer.get(90, TimeUnit.SECONDS));
                    counts.merge(101, 1, Integer::sum);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof WebSocketHandshakeException refused)) {
                        throw new AssertionError("upgrade failed without an HTTP answer", e.getCause());
                    }
                    HttpResponse<?> response = refused.getResponse();
                    int status = response.statusCode();
                    counts.merge(status, 1, Integer::sum);
                    if (status != 503 && status != 429) {
                        fail("expected 101, 429 or 503, got " + status + ": " + response.body());
                    }
                    String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                    assertTrue(retryAfter != null && Long.parseLong(retryAfter) >= 1, status + " without Retry-After");
                }
            }
            System.out.printf("%s: %d concurrent upgrades -> %s (status: count)%n", label, n, counts);
            return counts;
        } finally {
            opened.forEach(WebSocket::abort);
        }
    }

    private static void check(HttpResponse<String> response) throws Exception {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        if (status != 503) {
            fail("expected 2xx or 503, got " + status + ": " + response.body());
        }
        assertTrue(response.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After");
        assertTrue(Long.parseLong(response.headers().firstValue("Retry-After").get()) >= 1);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertEquals("UNAVAILABLE", body.path("error").asText(), response.body());
        assertFalse(body.path("message").asText().isEmpty());
    }
}

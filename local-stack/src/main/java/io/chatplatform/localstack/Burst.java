package io.chatplatform.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Sends requests all at once (released together from a latch, one thread each) over real HTTP and checks the load
 * rule: every answer is 2xx, or 503 with {@code Retry-After} and the JSON error body {@code UNAVAILABLE}; never a 500.
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
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
                counts.merge(response.statusCode(), 1, Integer::sum);
                check(response);
            }
            System.out.printf("%s: %d concurrent -> %s (status: count)%n", label, n, counts);
            assertEquals(n, counts.values().stream().mapToInt(Integer::intValue).sum());
            return counts;
        } finally {
            threads.shutdownNow();
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

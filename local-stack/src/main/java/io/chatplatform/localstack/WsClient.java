package io.chatplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (JDK java.net.http) for tests: records every frame and the close code. */
public final class WsClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> frames = new LinkedList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(URI uri, Map<String, String> headers, List<String> subprotocols) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        try {
            this.socket = builder.buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                throw new HandshakeRefused(handshake.getResponse().statusCode());
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static WsClient connect(URI uri, Map<String, String> headers, List<String> subprotocols) {
        return new WsClient(uri, headers, subprotocols);
    }

    public static WsClient bearer(URI uri, String token) {
        return connect(uri, Map.of("Authorization", "Bearer " + token), List.of());
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public void send(Map<String, ?> frame) {
        try {
            send(JSON.writeValueAsString(frame));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /**
     * The first frame received so far or within {@code timeout} that matches {@code filter}; it is taken out,
     * frames that do not match stay for later calls.
     */
    public JsonNode await(Predicate<JsonNode> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (true) {
                for (Iterator<JsonNode> it = frames.iterator(); it.hasNext(); ) {
                    JsonNode frame = it.next();
                    if (filter.test(frame)) {
                        it.remove();
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching frame within " + timeout);
                }
                try {
                    frames.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    public JsonNode await(String type) {
        return await(f -> type.equals(f.path("type").asText()), Duration.ofSeconds(5));
    }

    public JsonNode awaitReply(String id) {
        return await(f -> id.equals(f.path("id").asText()), Duration.ofSeconds(5));
    }

    /** All frames of {@code type} received so far or within {@code window}, taken out. */
    public List<JsonNode> collect(String type, Duration window) {
        return collectUntil(type, Integer.MAX_VALUE, window);
    }

    /** Frames of {@code type}, taken out, until {@code count} arrived or {@code timeout} passed. */
    public List<JsonNode> collectUntil(String type, int count, Duration timeout) {
        List<JsonNode> result = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (result.size() < count) {
                for (Iterator<JsonNode> it = frames.iterator(); it.hasNext() && result.size() < count; ) {
                    JsonNode frame = it.next();
                    if (type.equals(frame.path("type").asText())) {
                        it.remove();
                        result.add(frame);
                    }
                }
                long left = deadline - System.nanoTime();
                if (result.size() >= count || left <= 0) {
                    break;
                }
                try {
                    frames.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return result;
    }

    /** The close code, once the server closed the connection. */
    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + timeout);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Round trip through the server, proving the connection is open and served. */
    public void assertAlive() {
        String id = "ping-" + System.nanoTime();
        send(Map.of("type", "ping", "id", id));
        JsonNode pong = awaitReply(id);
        if (!"pong".equals(pong.path("type").asText())) {
            throw new AssertionError("expected pong, got " + pong);
        }
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                socket.abort();
            }
        }
    }

    public static final class HandshakeRefused extends RuntimeException {
        public final int status;

        HandshakeRefused(int status) {
            super("handshake refused with HTTP " + status);
            this.status = status;
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    synchronized (frames) {
                        frames.add(frame);
                        frames.notifyAll();
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("server sent non-JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}

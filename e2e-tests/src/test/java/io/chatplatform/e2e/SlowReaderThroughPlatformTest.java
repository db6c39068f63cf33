package io.chatplatform.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.localstack.RawWebSocket;
import io.chatplatform.localstack.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A client that never reads is sent 100 MB: chat-service closes it once 1 MiB is unsent, its transport memory stays
 * flat (the frames are not buffered for it), and a neighbour's messages keep arriving meanwhile.
 */
class SlowReaderThroughPlatformTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SENDERS = 25;
    private static final int MESSAGES_EACH = 360; // within the e2e platform's burst of 400 frames
    /** 4,000 characters of three UTF-8 bytes each: a 12 KB frame, the largest body a send may carry. */
    private static final String BODY = "漢".repeat(4000);

    private final Platform platform = Platform.get();

    @Test
    void aReaderThatNeverReadsIsClosedAndTheServerDoesNotBufferWhatItIsSent() throws Exception {
        Client slow = Client.register(platform, "slow").login("phone");
        Client friend = Client.register(platform, "friend").login("phone");
        List<Client> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add(Client.register(platform, "flood" + i).login("phone"));
        }
        long directBefore = directTransportBytes();
        long rssBefore = rssBytes();
        long slowClosedBefore = metric("chat_connections_closed_slow_total");

        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        try (RawWebSocket reader = RawWebSocket.bearer(platform.chatWs, slow.token, 4096);
                WsClient friendSocket = friend.connect()) {
            assertEquals(101, reader.status);
            List<Future<Long>> sent = new ArrayList<>();
            for (Client sender : senders) {
                sent.add(pool.submit(() -> flood(sender, slow.uid)));
            }
            // a neighbour on the same instance is served while the flood goes on (behind the sends queued before it)
            WsClient senderToFriend = senders.get(0).connect();
            senderToFriend.send(Map.of("type", "send", "id", "hi", "cid", "hi-" + friend.uid, "to", Map.of("user", friend.uid),
                    "kind", "text", "body", "during the flood"));
            assertEquals("during the flood", friendSocket.await(frame -> "message".equals(frame.path("type").asText()),
                    Duration.ofSeconds(60)).get("body").asText());
            long bytes = 0;
            for (Future<Long> future : sent) {
                bytes += future.get();
            }
            senderToFriend.send(Map.of("type", "send", "id", "hi2", "cid", "hi2-" + friend.uid, "to", Map.of("user", friend.uid),
                    "kind", "text", "body", "after the flood"));
            assertEquals("after the flood", friendSocket.await(frame -> "after the flood".equals(frame.path("body").asText()),
                    Duration.ofSeconds(5)).get("body").asText());
            senderToFriend.close();
            assertTrue(bytes >= 100L << 20, "100 MB were sent to the reader: " + bytes);

            long directAfter = directTransportBytes();
            long rssAfter = rssBytes();
            System.out.printf("slow reader: %d MB sent; chat direct transport memory %d -> %d MB, RSS %d -> %d MB%n",
                    bytes >> 20, directBefore >> 20, directAfter >> 20, rssBefore >> 20, rssAfter >> 20);
            assertTrue(metric("chat_connections_closed_slow_total") > slowClosedBefore, "the reader was closed as too slow");
            assertTrue(directAfter - directBefore < 24L << 20,
                    "what the reader did not read is not buffered: direct memory grew by " + ((directAfter - directBefore) >> 20) + " MB");
            reader.setReadTimeout(15_000);
            assertTrue(reader.endOfStream(), "the reader's TCP connection is closed");
            friendSocket.assertAlive();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends MESSAGES_EACH 12 KB messages to {@code to}, all acknowledged. @return UTF-8 bytes of the bodies */
    private long flood(Client sender, long to) {
        try (WsClient socket = sender.connect()) {
            String last = null;
            for (int i = 0; i < MESSAGES_EACH; i++) {
                last = sender.uid + "-" + i;
                socket.send(Map.of("type", "send", "id", last, "cid", last, "to", Map.of("user", to), "kind", "text", "body", BODY));
            }
            String lastId = last;
            assertEquals("ack", socket.await(frame -> lastId.equals(frame.path("id").asText()), Duration.ofSeconds(90))
                    .get("type").asText());
            return (long) MESSAGES_EACH * BODY.length() * 3;
        }
    }

    /** Netty's pooled direct memory in chat-service: where written-but-unsent frames wait. */
    private long directTransportBytes() throws Exception {
        long total = 0;
        for (String line : metrics().lines().toList()) {
            if (line.startsWith("netty_allocator_memory_used") && line.contains("memory_type=\"direct\"")) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private long metric(String name) throws Exception {
        return metrics().lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.chatHttp() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(platform.pid("chat-service")), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }
}

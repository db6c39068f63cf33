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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Clients that never read are sent 100 MB (ten devices of one user in a group, 870 messages of 12 KB each):
 * chat-service closes each once 1 MiB is unsent, its transport memory stays flat (the frames are not buffered for
 * them), and a neighbour's messages keep arriving meanwhile.
 */
@Tag("client")
class SlowReaderThroughPlatformTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SENDERS = 3;
    private static final int MESSAGES_EACH = 290;
    private static final int READER_DEVICES = 10;
    /** 4,000 characters of three UTF-8 bytes each: a 12 KB frame, the largest body a send may carry. */
    private static final String BODY = "漢".repeat(4000);

    private final Platform platform = Platform.get();

    @Test
    void aReaderThatNeverReadsIsClosedAndTheServerDoesNotBufferWhatItIsSent() throws Exception {
        Client slow = Client.register(platform, "slow");
        Client friend = Client.register(platform, "friend").login("phone");
        List<Client> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add(Client.register(platform, "flood" + i).login("phone"));
        }
        List<Long> members = new ArrayList<>(List.of(slow.uid));
        senders.stream().skip(1).forEach(sender -> members.add(sender.uid));
        String group = "g." + senders.get(0).auth("POST", "/groups", Map.of("name", "flood", "members", members)).json()
                .get("id").asLong();
        List<RawWebSocket> readers = new ArrayList<>();
        for (int i = 0; i < READER_DEVICES; i++) {
            RawWebSocket reader = RawWebSocket.bearer(platform.chatWs, slow.login("device-" + i).token, 4096);
            assertEquals(101, reader.status);
            readers.add(reader);
        }
        long directBefore = directTransportBytes();
        long rssBefore = rssBytes();
        long slowClosedBefore = metric("chat_connections_closed_slow_total");

        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        try (WsClient friendSocket = friend.connect()) {
            List<Future<Long>> sent = new ArrayList<>();
            for (Client sender : senders) {
                sent.add(pool.submit(() -> flood(sender, group)));
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
            bytes *= READER_DEVICES;
            assertTrue(bytes >= 100_000_000L, "100 MB were sent to the readers: " + bytes);

            long directAfter = directTransportBytes();
            long rssAfter = rssBytes();
            System.out.printf("slow readers: %d MB sent; chat direct transport memory %d -> %d MB, RSS %d -> %d MB%n",
                    bytes >> 20, directBefore >> 20, directAfter >> 20, rssBefore >> 20, rssAfter >> 20);
            assertTrue(metric("chat_connections_closed_slow_total") >= slowClosedBefore + READER_DEVICES,
                    "every reader was closed as too slow");
            assertTrue(directAfter - directBefore < 32L << 20,
                    "what the reader did not read is not buffered: direct memory grew by " + ((directAfter - directBefore) >> 20) + " MB");
            for (RawWebSocket reader : readers) {
                reader.setReadTimeout(15_000);
                assertTrue(reader.endOfStream(), "the reader's TCP connection is closed");
            }
            friendSocket.assertAlive();
        } finally {
            pool.shutdownNow();
            readers.forEach(RawWebSocket::close);
        }
    }

    /** Sends MESSAGES_EACH 12 KB messages to the group, all acknowledged. @return UTF-8 bytes of the bodies */
    private long flood(Client sender, String group) {
        try (WsClient socket = sender.connect()) {
            int window = 100; // unacknowledged sends at a time (a connection may have 256 frames in flight)
            for (int i = 0; i < MESSAGES_EACH; i++) {
                String id = sender.uid + "-" + i;
                socket.send(Map.of("type", "send", "id", id, "cid", id, "to", group, "kind", "text", "body", BODY));
                if (i % window == window - 1 || i == MESSAGES_EACH - 1) {
                    assertEquals("ack", socket.await(frame -> id.equals(frame.path("id").asText()), Duration.ofSeconds(90))
                            .get("type").asText());
                }
            }
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

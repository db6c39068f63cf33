package io.chatplatform.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.chat.log.LogTrimmer;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.localstack.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The log is trimmed below what its consumer groups have stored, never by length alone: entries history has not read
 * stay however many there are, until the last-resort hard limit (here 40), which drops the oldest and counts them.
 */
@QuarkusTest
@TestProfile(LogTrimTest.SmallHardLimit.class)
@Tag("cluster")
class LogTrimTest extends ChatTestBase {

    public static class SmallHardLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.log.hard-limit", "40", "chat.log.trim-interval", "1h", "chat.log.partitions", "1");
        }
    }

    @Inject
    LogTrimmer trimmer;

    @Inject
    MeterRegistry metrics;

    @Test
    void onlyEntriesEveryGroupStoredAreTrimmedUntilTheHardLimit() {
        String stream = LogPartitions.streamKey(0);
        trimmer.trim(0).await().indefinitely();
        redis.stream(String.class).xgroupCreate(stream, "other-consumer", "$");
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        WsClient socket = connect(users.login(alice, "phone"));
        send(socket, bob, "a", 30);

        // nobody consumed anything yet: 30 entries stay (more than a length-based trim to, say, 20 would keep)
        trimmer.trim(0).await().indefinitely();
        assertEquals(30, redis.stream(String.class).xlen(stream), "unconsumed entries stay");

        // history (group "history") stores 20 and acks 12 of them; the other group reads all 30 and acks them
        List<StreamMessage<String, String, String>> read = redis.stream(String.class).xreadgroup("history", "h1", stream, ">",
                new XReadGroupArgs().count(20));
        redis.stream(String.class).xack(stream, "history", read.subList(0, 12).stream().map(StreamMessage::id).toArray(String[]::new));
        List<StreamMessage<String, String, String>> other = redis.stream(String.class).xreadgroup("other-consumer", "o1", stream, ">",
                new XReadGroupArgs().count(100));
        redis.stream(String.class).xack(stream, "other-consumer", other.stream().map(StreamMessage::id).toArray(String[]::new));

        trimmer.trim(0).await().indefinitely();
        assertEquals(18, redis.stream(String.class).xlen(stream), "the 12 entries every group stored are gone, the pending 8 and the unread 10 stay");
        assertEquals(read.get(12).id(), redis.stream(String.class).xrange(stream, StreamRange.of("-", "+"), 1)
                .get(0).id(), "the oldest left is history's oldest pending entry");
        assertEquals(18.0, metrics.get("chat.log.backlog.entries").tag("partition", "0").gauge().value(), "backlog reported");

        // history stays away: past the hard limit (40) the oldest unconsumed entries go, counted
        double droppedBefore = metrics.get("chat.log.trimmed.unconsumed").counter().count();
        send(connect(users.login(alice, "laptop")), bob, "b", 30); // another connection: the per-connection rate limit
        trimmer.trim(0).await().indefinitely();
        assertEquals(40, redis.stream(String.class).xlen(stream), "held to the hard limit");
        assertEquals(8.0, metrics.get("chat.log.trimmed.unconsumed").counter().count() - droppedBefore, "48 unconsumed, 8 dropped and counted");
        assertTrue(metrics.get("chat.log.backlog.entries").tag("partition", "0").gauge().value() <= 40);
    }

    private static void send(WsClient socket, long to, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            socket.send(Map.of("type", "send", "id", id, "cid", id, "to", Map.of("user", to), "kind", "text", "body", id));
            assertEquals("ack", socket.awaitReply(id).get("type").asText());
        }
    }
}

package io.chatplatform.chat;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.localstack.WsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.ReadEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("cluster")
@QuarkusTest
class ReadAndTypingTest extends ChatTestBase {

    @Test
    void readMarkersOnlyMoveForwardAndSendReceipts() {
        long alice = TestUsers.newUid();
        long bob = TestUsers.newUid();
        WsClient a = connect(users.login(alice, "phone"));
        WsClient b = connect(users.login(bob, "phone"));
        WsClient bLaptop = connect(users.login(bob, "laptop"));
        for (int i = 1; i <= 3; i++) {
            a.send(Map.of("type", "send", "id", "m" + i, "cid", "m" + i, "to", Map.of("user", bob), "kind", "text", "body", "n" + i));
            a.awaitReply("m" + i);
        }
        String conv = ConversationId.direct(alice, bob).value();

        b.send(Map.of("type", "read", "id", "r1", "conv", conv, "seq", 2));
        assertEquals(2, b.awaitReply("r1").get("seq").asLong());
        JsonNode receipt = a.await("receipt");
        assertEquals(conv, receipt.get("conv").asText());
        assertEquals(bob, receipt.get("uid").asLong());
        assertEquals(2, receipt.get("seq").asLong());
        assertEquals(2, bLaptop.await("receipt").get("seq").asLong(), "my other devices learn it too");

        b.send(Map.of("type", "read", "id", "r2", "conv", conv, "seq", 1));
        assertEquals(2, b.awaitReply("r2").get("seq").asLong(), "never backwards");
        assertTrue(a.collect("receipt", Duration.ofMillis(300)).isEmpty(), "no receipt when nothing moved");

        b.send(Map.of("type", "read", "id", "r3", "conv", conv, "seq", 99));
        assertEquals("INVALID_FIELD", b.awaitReply("r3").get("code").asText());

        List<ReadEvent> logged = redis.stream(String.class).xrange(LogPartitions.streamKeyOf(conv, 8), StreamRange.of("-", "+"))
                .stream().map(e -> StreamEventCodec.decode(e.payload().get("e")).orElseThrow())
                .filter(e -> e instanceof ReadEvent && e.conv().equals(conv)).map(e -> (ReadEvent) e).toList();
        assertEquals(1, logged.size());
        assertEquals(bob, logged.get(0).uid());
        assertEquals(2, logged.get(0).seq());
    }

    @Test
    void outsidersCannotMarkReadOrType() {
        long a = TestUsers.newUid();
        long b = TestUsers.newUid();
        WsClient outsider = connect(users.login(TestUsers.newUid(), "d"));
        String conv = ConversationId.direct(a, b).value();
        outsider.send(Map.of("type", "read", "id", "r", "conv", conv, "seq", 0));
        assertEquals("NOT_FOUND", outsider.awaitReply("r").get("code").asText());
        outsider.send(Map.of("type", "typing", "id", "t", "conv", conv));
        assertEquals("NOT_FOUND", outsider.awaitReply("t").get("code").asText());
    }

    @Test
    void typingIsRelayedToOtherMembersAndNeverStored() {
        long a = TestUsers.newUid();
        long b = TestUsers.newUid();
        long c = TestUsers.newUid();
        long gid = users.newGroup(a, b, c);
        WsClient sa = connect(users.login(a, "d"));
        WsClient saOther = connect(users.login(a, "other"));
        WsClient sb = connect(users.login(b, "d"));
        WsClient sc = connect(users.login(c, "d"));
        sa.send(Map.of("type", "typing", "conv", "g." + gid));
        for (WsClient member : List.of(sb, sc)) {
            JsonNode typing = member.await("typing");
            assertEquals(a, typing.get("uid").asLong());
            assertEquals("g." + gid, typing.get("conv").asText());
        }
        assertTrue(saOther.collect("typing", Duration.ofMillis(300)).isEmpty(), "not echoed to my own devices");
        boolean stored = redis.stream(String.class).xrange(LogPartitions.streamKeyOf("g." + gid, 8), StreamRange.of("-", "+"))
                .stream().anyMatch(e -> e.payload().get("e").contains("\"g." + gid + "\""));
        assertTrue(!stored, "typing is never on the log");
    }
}

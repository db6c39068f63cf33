package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad frames get an error frame and the connection stays; abuse closes only the abuser's connection. */
@QuarkusTest
class BadInputTest extends ChatTestBase {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all                                                          | BAD_JSON",
            "{\"type\":\"send\",                                                      | BAD_JSON",
            "[1,2]                                                                    | BAD_FRAME",
            "{\"id\":\"q\"}                                                           | BAD_FRAME",
            "{\"type\":\"dance\",\"id\":\"q\"}                                        | UNKNOWN_TYPE",
            "{\"type\":\"send\",\"id\":\"q\"}                                         | INVALID_FIELD",
            "{\"type\":\"send\",\"id\":\"q\",\"cid\":\"c\",\"to\":{\"user\":2},\"kind\":\"text\"} | INVALID_FIELD",
            "{\"type\":\"send\",\"id\":\"q\",\"cid\":\"c\",\"to\":\"x.1\",\"kind\":\"text\",\"body\":\"b\"} | INVALID_FIELD",
            "{\"type\":\"send\",\"id\":\"q\",\"cid\":\"c\",\"to\":{\"user\":2},\"kind\":\"sticker\",\"body\":\"b\"} | INVALID_FIELD",
            "{\"type\":\"send\",\"id\":\"q\",\"cid\":\"c\",\"to\":{\"user\":2},\"kind\":\"image\",\"media\":{\"url\":\"javascript:alert(1)\",\"mime\":\"image/png\"}} | INVALID_FIELD",
            "{\"type\":\"read\",\"id\":\"q\",\"conv\":\"g.1\",\"seq\":-4}             | INVALID_FIELD",
            "{\"type\":\"typing\",\"id\":\"q\"}                                       | INVALID_FIELD",
    })
    void aBadFrameGetsTheDocumentedErrorAndTheConnectionStays(String frame, String code) {
        WsClient client = connect(users.login(TestUsers.newUid(), "d"));
        client.send(frame.strip());
        JsonNode error = client.await("error");
        assertEquals(code, error.get("code").asText(), error.toString());
        client.assertAlive();
    }

    @Test
    void theErrorEchoesTheFrameId() {
        WsClient client = connect(users.login(TestUsers.newUid(), "d"));
        client.send(Map.of("type", "send", "id", "corr-7", "cid", "c"));
        assertEquals("corr-7", client.await("error").get("id").asText());
    }

    @Test
    void aBinaryFrameIsABadFrame() {
        WsClient client = connect(users.login(TestUsers.newUid(), "d"));
        client.sendBinary(new byte[] {1, 2, 3});
        assertEquals("BAD_FRAME", client.await("error").get("code").asText());
        client.assertAlive();
    }

    @Test
    void anOversizedFrameClosesWith1009AndNeighboursAreUnaffected() {
        WsClient neighbour = connect(users.login(TestUsers.newUid(), "d"));
        WsClient client = connect(users.login(TestUsers.newUid(), "d"));
        client.send("{\"type\":\"ping\",\"id\":\"" + "x".repeat(70_000) + "\"}");
        assertEquals(1009, client.awaitClose(Duration.ofSeconds(5)));
        neighbour.assertAlive();
    }

    @Test
    void aFrameBeyondTheTransportLimitAlsoClosesWith1009() {
        WsClient client = connect(users.login(TestUsers.newUid(), "d"));
        client.send("{\"type\":\"ping\",\"id\":\"" + "z".repeat(2_000_000) + "\"}");
        assertEquals(1009, client.awaitClose(Duration.ofSeconds(5)));
    }

    @Test
    void aTooLongBodyIsRefusedButTheFrameFits() {
        long bob = TestUsers.newUid();
        WsClient client = connect(users.login(TestUsers.newUid(), "d"));
        client.send(Map.of("type", "send", "id", "long", "cid", "long", "to", Map.of("user", bob), "kind", "text",
                "body", "y".repeat(4001)));
        assertEquals("INVALID_FIELD", client.awaitReply("long").get("code").asText());
    }

    @Test
    void aFloodIsRateLimitedThenClosedWith4008() {
        WsClient neighbour = connect(users.login(TestUsers.newUid(), "d"));
        WsClient flooder = connect(users.login(TestUsers.newUid(), "d"));
        for (int i = 0; i < 200 && !flooder.isClosed(); i++) {
            flooder.send("{\"type\":\"ping\",\"id\":\"f" + i + "\"}");
        }
        assertEquals("RATE_LIMITED", flooder.await(f -> "error".equals(f.path("type").asText()), Duration.ofSeconds(5))
                .get("code").asText());
        assertEquals(4008, flooder.awaitClose(Duration.ofSeconds(5)));
        neighbour.assertAlive();
    }

    @Test
    void repeatedBadFramesCloseWith4008() {
        WsClient client = connect(users.login(TestUsers.newUid(), "d"));
        for (int i = 0; i < 11; i++) {
            client.send("{bad");
        }
        assertEquals(4008, client.awaitClose(Duration.ofSeconds(5)));
    }
}

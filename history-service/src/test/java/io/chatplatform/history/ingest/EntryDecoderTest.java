package io.chatplatform.history.ingest;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryDecoderTest {

    private static Decoded decode(String json) {
        return EntryDecoder.decode(new LogEntry("1-1", Map.of("e", json)));
    }

    @Test
    void acceptsValidEventsSkipsUnknownTypesAndRejectsPoison() {
        assertInstanceOf(Decoded.Accepted.class, decode(
                "{\"v\":1,\"type\":\"message\",\"msgId\":\"m\",\"conv\":\"d.1.2\",\"seq\":1,\"from\":1,\"ts\":1,\"extra\":true}"));
        assertInstanceOf(Decoded.Accepted.class, decode("{\"v\":1,\"type\":\"read\",\"conv\":\"g.5\",\"uid\":1,\"seq\":0,\"ts\":1}"));
        assertInstanceOf(Decoded.Accepted.class, decode(
                "{\"v\":1,\"type\":\"desk\",\"conv\":\"c.9\",\"action\":\"opened\",\"state\":\"WAITING\",\"customer\":1,\"ts\":1}"));
        assertInstanceOf(Decoded.Skipped.class, decode("{\"v\":1,\"type\":\"group\",\"conv\":\"g.5\"}"));

        assertInstanceOf(Decoded.Poison.class, decode("nope"));
        assertInstanceOf(Decoded.Poison.class, decode("[1,2]"));
        assertInstanceOf(Decoded.Poison.class, decode("{\"v\":1,\"type\":\"message\",\"msgId\":\"m\",\"conv\":\"d.2.1\",\"seq\":1}"));
        assertInstanceOf(Decoded.Poison.class, decode("{\"v\":1,\"type\":\"message\",\"conv\":\"d.1.2\",\"seq\":1}"));
        assertInstanceOf(Decoded.Poison.class, decode("{\"v\":1,\"type\":\"message\",\"msgId\":\"m\",\"conv\":\"d.1.2\",\"seq\":0}"));
        assertInstanceOf(Decoded.Poison.class, decode(
                "{\"v\":1,\"type\":\"desk\",\"conv\":\"g.9\",\"action\":\"opened\",\"state\":\"WAITING\",\"customer\":1}"));
        assertInstanceOf(Decoded.Poison.class, decode("{\"v\":1,\"type\":\"desk\",\"conv\":\"c.9\",\"customer\":1}"));
        assertInstanceOf(Decoded.Poison.class, EntryDecoder.decode(new LogEntry("1-1", Map.of("other", "x"))));
        assertInstanceOf(Decoded.Missing.class, EntryDecoder.decode(new LogEntry("1-1", null)));
    }
}

package io.chatplatform.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.ForwardOf;
import io.chatplatform.common.event.Mentions;
import io.chatplatform.common.event.ReplyTo;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.ReadEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamEventCodecTest {

    @Test
    void eventsSurviveARoundTrip() {
        List<StreamEvent> events = List.of(
                new MessageEvent(1, "message", "01J0000000000000000000000A", "d.1.2", 7, 1, "phone", "USER", "text",
                        "hello 世界", null, 1_700_000_000_000L, List.of(1L, 2L)),
                new MessageEvent(1, "message", "01J0000000000000000000000B", "g.9", 8, 1, "web", "USER", "image", null,
                        new Media("https://cdn.example/a.png", "image/png", 1234L, null, 640, 480, null), 1L, null),
                ReadEvent.of("g.9", 2, 8, 2L),
                new DeskEvent(1, "desk", "c.5", "grabbed", "SERVING", 3, 4L, 4L, null, "refund", 3L),
                new MessageEvent(1, "message", "01J0000000000000000000000C", "g.9", 9, 2, "web", "USER", "text", "@1 yes",
                        null, 4L, null, new ReplyTo("01J0000000000000000000000A", 7, 1, "text", "hello"),
                        Mentions.of(List.of(1L, 3L)), new ForwardOf("d.1.2", "01J0000000000000000000000A")),
                new MessageEvent(1, "message", "01J0000000000000000000000D", "g.9", 10, 2, "web", "USER", "text", "@all",
                        null, 5L, null, null, Mentions.everyone(), null),
                UpdateEvent.of("g.9", 11L, "01J0000000000000000000000C", UpdateEvent.EDIT, 2, "web", 6L, "@1 no", null),
                UpdateEvent.of("g.9", 12L, "01J0000000000000000000000C", UpdateEvent.REACT, 1, "phone", 7L, null, "👍"),
                UpdateEvent.of("g.9", null, "01J0000000000000000000000C", UpdateEvent.HIDE, 3, "web", 8L, null, null));
        for (StreamEvent event : events) {
            assertEquals(event, StreamEventCodec.decode(StreamEventCodec.encode(event)).orElseThrow());
        }
    }

    @Test
    void nullFieldsAreLeftOut() {
        String json = StreamEventCodec.encode(ReadEvent.of("g.1", 2, 3, 4));
        assertEquals("{\"v\":1,\"type\":\"read\",\"conv\":\"g.1\",\"uid\":2,\"seq\":3,\"ts\":4}", json);
        String message = StreamEventCodec.encode(new MessageEvent(1, "message", "m", "g.1", 1, 2, "d", "USER", "text",
                "hi", null, 5, null));
        assertFalse(message.contains("media") || message.contains("members"), message);
    }

    @Test
    void mentionsAreUserIdsOrAll() {
        String json = StreamEventCodec.encode(new MessageEvent(1, "message", "m", "g.1", 1, 2, "d", "USER", "text", "hi",
                null, 5, null, null, Mentions.of(List.of(3L, 4L)), null));
        assertTrue(json.contains("\"mentions\":[3,4]"), json);
        String all = StreamEventCodec.encode(new MessageEvent(1, "message", "m", "g.1", 1, 2, "d", "USER", "text", "hi",
                null, 5, null, null, Mentions.everyone(), null));
        assertTrue(all.contains("\"mentions\":[\"all\"]"), all);
        String hide = StreamEventCodec.encode(UpdateEvent.of("g.1", null, "m", UpdateEvent.HIDE, 2, "d", 5, null, null));
        assertFalse(hide.contains("seq"), hide);
    }

    @Test
    void unknownFieldsAndTypesAreForwardCompatible() {
        StreamEvent read = StreamEventCodec.decode(
                "{\"v\":2,\"type\":\"read\",\"conv\":\"g.1\",\"uid\":2,\"seq\":3,\"ts\":4,\"newField\":{\"x\":1}}").orElseThrow();
        assertEquals(3, ((ReadEvent) read).seq());
        assertTrue(StreamEventCodec.decode("{\"v\":1,\"type\":\"reaction\",\"conv\":\"g.1\"}").isEmpty());
    }

    @Test
    void malformedEntriesAreErrors() {
        for (String bad : new String[] {"not json", "[1]", "{}", "{\"type\":\"read\",\"seq\":\"x\",\"conv\":\"g.1\"}",
                "{\"type\":\"message\",\"seq\":1}"}) {
            assertThrows(StreamEventCodec.MalformedEventException.class, () -> StreamEventCodec.decode(bad), bad);
        }
    }
}

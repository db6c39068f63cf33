package io.chatplatform.history;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.DeskEvent;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.ReadEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.StreamEventCodec;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Writes events to the log exactly as chat-service does: {@code XADD chat:log:{p} * e <json>}, pipelined. */
public final class TestLog {

    public static final int PARTITIONS = 8;

    private TestLog() {
    }

    public static long newId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
    }

    public static String streamOf(String conv) {
        return LogPartitions.streamKeyOf(conv, PARTITIONS);
    }

    /** A stream no other test and not the application's consumer ever reads. */
    public static String privateStream() {
        return LogPartitions.streamKey(ThreadLocalRandom.current().nextInt(1_000, 1_000_000_000));
    }

    public static void append(Redis redis, String stream, List<? extends StreamEvent> events) {
        List<String> json = new ArrayList<>(events.size());
        for (StreamEvent e : events) {
            json.add(StreamEventCodec.encode(e));
        }
        appendRaw(redis, stream, json);
    }

    public static void append(Redis redis, StreamEvent... events) {
        for (StreamEvent e : events) {
            append(redis, streamOf(e.conv()), List.of(e));
        }
    }

    /** Any text as field {@code e} (for poison entries). */
    public static void appendRaw(Redis redis, String stream, List<String> values) {
        for (int from = 0; from < values.size(); from += 1000) {
            List<Request> batch = new ArrayList<>();
            for (String value : values.subList(from, Math.min(values.size(), from + 1000))) {
                batch.add(Request.cmd(Command.XADD).arg(stream).arg("*").arg(LogPartitions.EVENT_FIELD).arg(value));
            }
            redis.batchAndAwait(batch);
        }
    }

    public static MessageEvent message(String conv, long seq, long from, String body, List<Long> members) {
        return message(conv, seq, from, body, members, System.currentTimeMillis());
    }

    public static MessageEvent message(String conv, long seq, long from, String body, List<Long> members, long ts) {
        return new MessageEvent(StreamEvent.VERSION, MessageEvent.TYPE, UUID.randomUUID().toString(), conv, seq, from,
                "dev-" + from, MessageEvent.USER, "text", body, null, ts, members);
    }

    /** A desk agent's private note. */
    public static MessageEvent note(String conv, long seq, long from, String body, List<Long> members, long ts) {
        return new MessageEvent(StreamEvent.VERSION, MessageEvent.TYPE, UUID.randomUUID().toString(), conv, seq, from,
                "dev-" + from, MessageEvent.USER, "text", body, null, ts, members, MessageEvent.AGENTS_ONLY);
    }

    public static DeskEvent rated(String conv, long customer, Long agent, int score, String comment, long ts) {
        return new DeskEvent(StreamEvent.VERSION, DeskEvent.TYPE, conv, "rated", "CLOSED", customer, agent, customer, null, null,
                ts, score, comment);
    }

    public static ReadEvent read(String conv, long uid, long seq, long ts) {
        return ReadEvent.of(conv, uid, seq, ts);
    }

    /** Messages seq first..last in a direct conversation, alternating senders a and b. */
    public static List<MessageEvent> directMessages(long a, long b, long first, long last) {
        String conv = ConversationId.direct(a, b).value();
        List<MessageEvent> events = new ArrayList<>();
        for (long seq = first; seq <= last; seq++) {
            long from = seq % 2 == 0 ? a : b;
            events.add(message(conv, seq, from, "message " + seq, List.of(a, b)));
        }
        return events;
    }

    public static ReadEvent read(String conv, long uid, long seq) {
        return ReadEvent.of(conv, uid, seq, System.currentTimeMillis());
    }

    public static DeskEvent desk(String conv, String action, String state, long customer, Long agent, Long actor,
            Long toAgent, String topic, long ts) {
        return new DeskEvent(StreamEvent.VERSION, DeskEvent.TYPE, conv, action, state, customer, agent, actor, toAgent,
                topic, ts);
    }
}

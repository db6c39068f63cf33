package io.chatplatform.history.ingest;

import io.chatplatform.common.redis.StreamId;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XPendingArgs;
import io.quarkus.redis.datasource.stream.XPendingSummary;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Redis stream commands the consumer needs, on the blocking data source. XREADGROUP and XAUTOCLAIM are
 * parsed here rather than by the typed API because a pending entry whose log entry was trimmed comes back
 * as {@code [id, nil]}. Parsing accepts RESP2 arrays and RESP3 maps alike.
 */
public class LogStreams {

    private final RedisDataSource redis;
    private final StreamCommands<String, String, String> streams;

    public LogStreams(RedisDataSource redis) {
        this.redis = redis;
        this.streams = redis.stream(String.class);
    }

    /**
     * XREADGROUP GROUP group consumer COUNT count [BLOCK ms] STREAMS stream id.
     *
     * @param id    {@code >} for new entries, or an id to re-read this consumer's pending entries after it
     * @param block null: do not block
     */
    public List<LogEntry> readGroup(String stream, String group, String consumer, String id, int count, Duration block) {
        List<String> args = new ArrayList<>(List.of("GROUP", group, consumer, "COUNT", String.valueOf(count)));
        if (block != null) {
            args.add("BLOCK");
            args.add(String.valueOf(Math.max(1, block.toMillis())));
        }
        args.addAll(List.of("STREAMS", stream, id));
        Response reply = execute("XREADGROUP", args);
        if (reply == null || reply.size() == 0) {
            return List.of();
        }
        List<LogEntry> entries = new ArrayList<>();
        for (Response perStream : reply) { // RESP2: [key, entries]; RESP3 map entries iterate as [key, entries]
            entries.addAll(entries(perStream.get(1)));
        }
        return entries;
    }

    /** XAUTOCLAIM stream group consumer minIdle start COUNT count: entries idle longer than minIdle, now ours. */
    public Claimed autoClaim(String stream, String group, String consumer, Duration minIdle, String start, int count) {
        Response reply = execute("XAUTOCLAIM", List.of(stream, group, consumer, String.valueOf(minIdle.toMillis()),
                start, "COUNT", String.valueOf(count)));
        if (reply == null) {
            return new Claimed("0-0", List.of(), 0);
        }
        Response list = reply.get(1);
        int nil = 0;
        if (list != null) {
            for (Response entry : list) {
                if (entry == null) {
                    nil++;
                }
            }
        }
        return new Claimed(reply.get(0).toString(), entries(list), nil);
    }

    /** XCLAIM ... JUSTID to ourselves: resets the entries' idle time without counting a delivery. */
    public void keepClaimed(String stream, String group, String consumer, Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(stream, group, consumer, "0"));
        args.addAll(ids);
        args.add("JUSTID");
        execute("XCLAIM", args);
    }

    public int ack(String stream, String group, Collection<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return streams.xack(stream, group, ids.toArray(String[]::new));
    }

    /** Delivery counts of this consumer's pending entries between first and last (inclusive). */
    public Map<String, Integer> deliveryCounts(String stream, String group, String consumer, String first, String last,
            int count) {
        Map<String, Integer> counts = new HashMap<>();
        for (PendingMessage p : streams.xpending(stream, group, StreamRange.of(first, last), count,
                new XPendingArgs().consumer(consumer))) {
            counts.put(p.getMessageId(), p.getDeliveryCount());
        }
        return counts;
    }

    /** XGROUP CREATE stream group from MKSTREAM; false when the group already exists. */
    public boolean createGroup(String stream, String group, StreamId from) {
        try {
            execute("XGROUP", List.of("CREATE", stream, group, from.toString(), "MKSTREAM"));
            return true;
        } catch (RuntimeException e) {
            if (RedisErrors.isBusyGroup(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The group's entry in XINFO GROUPS, or empty when the stream or the group does not exist. */
    public Optional<GroupInfo> groupInfo(String stream, String group) {
        Response reply;
        try {
            reply = execute("XINFO", List.of("GROUPS", stream));
        } catch (RuntimeException e) {
            if (RedisErrors.isNoSuchKey(e)) {
                return Optional.empty();
            }
            throw e;
        }
        if (reply == null) {
            return Optional.empty();
        }
        for (Response g : reply) {
            if (group.equals(string(g.get("name")))) {
                Response lag = g.containsKey("lag") ? g.get("lag") : null;
                return Optional.of(new GroupInfo(StreamId.parse(string(g.get("last-delivered-id"))),
                        g.get("pending").toLong(), lag == null ? null : lag.toLong()));
            }
        }
        return Optional.empty();
    }

    public PendingSummary pendingSummary(String stream, String group) {
        XPendingSummary s = streams.xpending(stream, group);
        if (s == null || s.getPendingCount() == 0 || s.getLowestId() == null) {
            return new PendingSummary(0, null, s == null ? Map.of() : s.getConsumers());
        }
        return new PendingSummary(s.getPendingCount(), StreamId.parse(s.getLowestId()), s.getConsumers());
    }

    /** The stream's oldest entry (XRANGE - + COUNT 1); empty for a missing or empty stream. */
    public Optional<LogEntry> first(String stream) {
        return single(execute("XRANGE", List.of(stream, "-", "+", "COUNT", "1")));
    }

    /** The entry with exactly this id (XRANGE id id), if the stream holds it. */
    public Optional<LogEntry> entryAt(String stream, StreamId id) {
        return single(execute("XRANGE", List.of(stream, id.toString(), id.toString())));
    }

    /** The newest entry at or below {@code id} (XREVRANGE id - COUNT 1). */
    public Optional<LogEntry> lastAtOrBelow(String stream, StreamId id) {
        return single(execute("XREVRANGE", List.of(stream, id.toString(), "-", "COUNT", "1")));
    }

    /** XGROUP SETID stream group id: the group's last-delivered id (entries above it are delivered again). */
    public void setGroupId(String stream, String group, StreamId id) {
        execute("XGROUP", List.of("SETID", stream, group, id.toString()));
    }

    private static Optional<LogEntry> single(Response reply) {
        List<LogEntry> entries = entries(reply);
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0));
    }

    /** Ids of up to {@code limit} entries after {@code after} (exclusive), oldest first. */
    public List<String> idsAfter(String stream, StreamId after, int limit) {
        Response reply = execute("XRANGE", List.of(stream, "(" + after, "+", "COUNT", String.valueOf(limit)));
        List<String> ids = new ArrayList<>();
        if (reply != null) {
            for (Response entry : reply) {
                ids.add(entry.get(0).toString());
            }
        }
        return ids;
    }

    /** XADD stream MAXLEN ~ maxLen * field value ...; returns the new id. */
    public String add(String stream, long maxLen, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(stream, "MAXLEN", "~", String.valueOf(maxLen), "*"));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return execute("XADD", args).toString();
    }

    /** XINFO CONSUMERS: every consumer of the group with its pending count and idle time. */
    public List<ConsumerInfo> consumers(String stream, String group) {
        Response reply = execute("XINFO", List.of("CONSUMERS", stream, group));
        List<ConsumerInfo> consumers = new ArrayList<>();
        if (reply != null) {
            for (Response c : reply) {
                consumers.add(new ConsumerInfo(string(c.get("name")), c.get("pending").toLong(), c.get("idle").toLong()));
            }
        }
        return consumers;
    }

    /** XLEN (0 for a missing stream). */
    public long length(String stream) {
        return streams.xlen(stream);
    }

    public long deleteConsumer(String stream, String group, String consumer) {
        return streams.xgroupDelConsumer(stream, group, consumer);
    }

    private Response execute(String command, List<String> args) {
        io.vertx.mutiny.redis.client.Response reply = redis.execute(command, args.toArray(String[]::new));
        return reply == null ? null : reply.getDelegate();
    }

    private static List<LogEntry> entries(Response list) {
        List<LogEntry> entries = new ArrayList<>();
        if (list == null) {
            return entries;
        }
        for (Response entry : list) {
            if (entry == null) {
                continue; // Redis 6.2 XAUTOCLAIM/XCLAIM: a claimed id whose entry is gone may come back as nil
            }
            String id = entry.get(0).toString();
            Response payload = entry.size() > 1 ? entry.get(1) : null;
            if (payload == null) {
                entries.add(new LogEntry(id, null));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            String field = null;
            for (Response part : payload) {
                if (field == null) {
                    field = part.toString();
                } else {
                    fields.put(field, part == null ? null : part.toString());
                    field = null;
                }
            }
            entries.add(new LogEntry(id, fields));
        }
        return entries;
    }

    private static String string(Response r) {
        return r == null ? null : r.toString();
    }

    /**
     * @param next cursor for the next XAUTOCLAIM call; {@code 0-0} when the scan of the pending list is complete
     * @param vanished claimed ids whose entries are gone from the stream (Redis 6.2 answers nil without the id;
     *                 they are now in our pending list, where XREADGROUP 0 shows them as {@code [id, nil]})
     */
    public record Claimed(String next, List<LogEntry> entries, int vanished) {
    }

    /** @param lag entries not yet delivered to the group (Redis 7+; null on older servers) */
    public record GroupInfo(StreamId lastDelivered, long pending, Long lag) {
    }

    /** @param idleMs time since the consumer last read or claimed */
    public record ConsumerInfo(String name, long pending, long idleMs) {
    }

    /** @param lowest smallest pending id, null when nothing is pending */
    public record PendingSummary(long count, StreamId lowest, Map<String, Long> consumers) {
    }
}

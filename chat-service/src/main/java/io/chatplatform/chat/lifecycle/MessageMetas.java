package io.chatplatform.chat.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.redis.LuaScript;
import io.chatplatform.common.redis.RedisPipeline;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * The compact record of every message chat sent lately: hash {@code chat:msg:{conv}:{msgId}} (the conversation is the
 * hash tag, as for its seq) with {@code from, senderType, kind, ts, seq, body, media} and, once changed, {@code recalled}
 * (by whom), {@code recalledSeq}, and the reactions ({@code r:<emoji>} → " uid uid ", {@code rx} = distinct emoji). It
 * expires {@code chat.message-meta-ttl} after the send; written in the same pipeline as the send's log append, so a
 * plain send costs no extra round trip. Redis is not its only copy: history holds every message, this only serves the
 * checks. After it expired or Redis lost it, changes to that message are refused with NOT_FOUND.
 */
@Singleton
public class MessageMetas {

    /** Most distinct emoji on one message. */
    public static final int MAX_EMOJI = 20;

    /**
     * KEYS: the record. ARGV: emoji field, " uid ", on (1/0), max distinct. → NOT_FOUND, RECALLED, FULL, CHANGED or SAME.
     */
    private static final LuaScript REACT = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'NOT_FOUND' end
            if redis.call('HEXISTS', KEYS[1], 'recalled') == 1 then return 'RECALLED' end
            local users = redis.call('HGET', KEYS[1], ARGV[1])
            local present = users and string.find(users, ARGV[2], 1, true)
            if ARGV[3] == '1' then
              if present then return 'SAME' end
              if not users then
                if tonumber(redis.call('HGET', KEYS[1], 'rx') or '0') >= tonumber(ARGV[4]) then return 'FULL' end
                redis.call('HINCRBY', KEYS[1], 'rx', 1)
                users = ' '
              end
              redis.call('HSET', KEYS[1], ARGV[1], users .. string.sub(ARGV[2], 2))
              return 'CHANGED'
            end
            if not present then return 'SAME' end
            local rest = string.sub(users, 1, present) .. string.sub(users, present + string.len(ARGV[2]))
            if rest == ' ' then
              redis.call('HDEL', KEYS[1], ARGV[1])
              redis.call('HINCRBY', KEYS[1], 'rx', -1)
            else
              redis.call('HSET', KEYS[1], ARGV[1], rest)
            end
            return 'CHANGED'
            """);

    private final RedisPipeline pipeline;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ObjectMapper json;
    private final Duration ttl;

    public MessageMetas(RedisPipeline pipeline, ReactiveRedisDataSource redis, ObjectMapper json, ChatConfig config) {
        this.pipeline = pipeline;
        this.hashes = redis.hash(String.class);
        this.json = json;
        this.ttl = config.messageMetaTtl();
        if (ttl.compareTo(config.editWindow()) < 0) {
            throw new IllegalStateException("chat.message-meta-ttl (" + ttl + ") must be at least chat.edit-window ("
                    + config.editWindow() + ")");
        }
    }

    static String key(String conv, String msgId) {
        return "chat:msg:{" + conv + "}:" + msgId;
    }

    /** The record of a message being sent: to go in the pipeline of its log append. */
    public List<Request> remember(MessageEvent e) {
        Request set = Request.cmd(Command.HSET).arg(key(e.conv(), e.msgId()))
                .arg("from").arg(e.from()).arg("senderType").arg(e.senderType()).arg("kind").arg(e.kind())
                .arg("ts").arg(e.ts()).arg("seq").arg(e.seq());
        if (e.body() != null) {
            set.arg("body").arg(e.body());
        }
        if (e.media() != null) {
            set.arg("media").arg(encode(e.media()));
        }
        return List.of(set, Request.cmd(Command.EXPIRE).arg(key(e.conv(), e.msgId())).arg(ttl.toSeconds()));
    }

    /** The record, or null when chat does not know the message in this conversation (any more). */
    public Uni<MessageMeta> get(String conv, String msgId) {
        return hashes.hgetall(key(conv, msgId)).map(f -> {
            if (f == null || f.get("from") == null || f.get("seq") == null) {
                return null;
            }
            String recalled = f.get("recalled");
            return new MessageMeta(msgId, conv, Long.parseLong(f.get("seq")), Long.parseLong(f.get("from")),
                    f.get("senderType"), f.get("kind"), Long.parseLong(f.getOrDefault("ts", "0")), f.get("body"),
                    decode(f.get("media")), recalled == null ? null : Long.valueOf(recalled),
                    Long.parseLong(f.getOrDefault("recalledSeq", "0")));
        });
    }

    /** The new text of an edited message, alongside the edit's log append. */
    public Request edited(String conv, String msgId, String body) {
        return Request.cmd(Command.HSET).arg(key(conv, msgId)).arg("body").arg(body);
    }

    /** Marks a message recalled (and forgets its content), alongside the recall's log append. */
    public List<Request> recalled(String conv, String msgId, long by, long seq) {
        return List.of(Request.cmd(Command.HSET).arg(key(conv, msgId)).arg("recalled").arg(by).arg("recalledSeq").arg(seq),
                Request.cmd(Command.HDEL).arg(key(conv, msgId)).arg("body").arg("media"));
    }

    /**
     * Adds or removes {@code uid}'s {@code emoji} reaction.
     *
     * @return NOT_FOUND, RECALLED, FULL (20 distinct emoji already), CHANGED or SAME (nothing to change)
     */
    public Uni<String> react(String conv, String msgId, String emoji, long uid, boolean on) {
        return REACT.run(pipeline.redis(), List.of(key(conv, msgId)), "r:" + emoji, " " + uid + " ", on ? 1 : 0, MAX_EMOJI)
                .map(Response::toString);
    }

    private String encode(Media media) {
        try {
            return json.writeValueAsString(media);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Media decode(String media) {
        if (media == null) {
            return null;
        }
        try {
            return json.readValue(media, Media.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}

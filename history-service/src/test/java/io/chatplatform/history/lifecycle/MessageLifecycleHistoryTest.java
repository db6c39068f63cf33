package io.chatplatform.history.lifecycle;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.Mentions;
import io.chatplatform.common.event.ReplyTo;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.common.event.UpdateEvent;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.TestUsers;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Edits, recalls, reactions, hides and replies folded into history: written to the real log, read back over HTTP.
 */
@QuarkusTest
@Tag("cluster")
class MessageLifecycleHistoryTest {

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;

    @Test
    void pagesShowTheFinalStateInterleaveTheUpdatesForSyncAndNeverTheRecalledBody() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        long c = TestLog.newId();
        long gid = TestLog.newId();
        users.joinGroup(gid, a, b, c);
        TestUsers.User alice = users.login(a);
        TestUsers.User bob = users.login(b);
        TestUsers.User carol = users.login(c);
        String g = "g." + gid;
        long t = System.currentTimeMillis();

        MessageEvent hello = message(g, 1, a, "hello", null, Mentions.of(List.of(b)), t);
        MessageEvent reply = message(g, 2, b, "hi!", new ReplyTo(hello.msgId(), 1, a, "text", "hello"), null, t + 1);
        MessageEvent secret = message(g, 8, a, "secret plans", null, Mentions.of(List.of(b)), t + 8);
        MessageEvent quoteOfSecret = message(g, 10, c, "what plans?", new ReplyTo(secret.msgId(), 8, a, "text", "secret plans"),
                Mentions.of(List.of(b)), t + 10);
        MessageEvent all = message(g, 13, a, "@all standup", null, Mentions.everyone(), t + 13);
        List<StreamEvent> updates = List.of(
                update(g, 3, hello.msgId(), UpdateEvent.EDIT, a, t + 3, "hello there", null),
                update(g, 4, hello.msgId(), UpdateEvent.REACT, b, t + 4, null, "👍"),
                update(g, 5, hello.msgId(), UpdateEvent.REACT, c, t + 5, null, "👍"),
                update(g, 6, hello.msgId(), UpdateEvent.UNREACT, c, t + 6, null, "👍"),
                update(g, 7, hello.msgId(), UpdateEvent.REACT, c, t + 7, null, "❤️"),
                update(g, 9, secret.msgId(), UpdateEvent.EDIT, a, t + 9, "secret plans, revised", null),
                update(g, 11, quoteOfSecret.msgId(), UpdateEvent.REACT, a, t + 11, null, "😀"),
                update(g, 12, secret.msgId(), UpdateEvent.RECALL, a, t + 12, null, null),
                update(g, null, reply.msgId(), UpdateEvent.HIDE, b, t + 14, null, null));
        // the recall and the reaction to the reply come before their messages (another partition, a replay)
        TestLog.append(raw, TestLog.streamOf(g), List.of(hello, reply, updates.get(0), updates.get(1), updates.get(2),
                updates.get(3), updates.get(4), updates.get(5), updates.get(6), updates.get(7), updates.get(8)));
        TestLog.append(raw, TestLog.streamOf(g), List.of(secret, quoteOfSecret, all));

        Eventually.await(Duration.ofSeconds(20), "all folded", () -> {
            JsonPath page = page(alice, g, "");
            return page.getList("items.seq").size() == 5 && Boolean.TRUE.equals(item(page, 8).get("recalled"))
                    && item(page, 10).get("reactions") != null && item(page, 1).get("reactions") != null;
        });
        JsonPath newest = page(alice, g, "");
        assertEquals(List.of(1, 2, 8, 10, 13), newest.getList("items.seq"), "messages only, ascending");
        Map<String, Object> first = item(newest, 1);
        assertEquals("hello there", first.get("body"));
        assertEquals(true, first.get("edited"));
        assertEquals(t + 3, ((Number) first.get("editedAt")).longValue());
        assertEquals(Map.of("👍", List.of(b), "❤️", List.of(c)), longs(first.get("reactions")));
        assertEquals(List.of(b), longsOf(first.get("mentions")));
        @SuppressWarnings("unchecked")
        Map<String, Object> quoted = (Map<String, Object>) item(newest, 2).get("replyTo");
        assertEquals(hello.msgId(), quoted.get("msgId"));
        assertEquals("hello", quoted.get("preview"));
        Map<String, Object> recalled = item(newest, 8);
        assertEquals(true, recalled.get("recalled"));
        assertNull(recalled.get("body"));
        assertNull(recalled.get("edited"));
        @SuppressWarnings("unchecked")
        Map<String, Object> quoteOfRecalled = (Map<String, Object>) item(newest, 10).get("replyTo");
        assertEquals(true, quoteOfRecalled.get("recalled"));
        assertNull(quoteOfRecalled.get("preview"), "the quote of a recalled message goes too");
        assertEquals(Map.of("😀", List.of(a)), longs(item(newest, 10).get("reactions")), "the reaction that came first is folded in");
        assertEquals(List.of("all"), item(newest, 13).get("mentions"));

        // forward sync: messages and updates interleaved in seq order, paged by seq
        List<Object> seqs = new ArrayList<>();
        List<Object> types = new ArrayList<>();
        String after = "0";
        StringBuilder everything = new StringBuilder();
        for (int pages = 0; after != null && pages < 10; pages++) {
            String body = alice.api().queryParam("after", after).queryParam("limit", 4)
                    .get("/history/conversations/" + g + "/messages").then().statusCode(200).extract().asString();
            everything.append(body);
            JsonPath page = JsonPath.from(body);
            seqs.addAll(page.getList("items.seq"));
            types.addAll(page.getList("items.type"));
            after = page.getString("nextAfter");
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), seqs);
        assertEquals("update", types.get(2));
        assertEquals("message", types.get(7));
        JsonPath sync = JsonPath.from(alice.api().queryParam("after", 2).queryParam("limit", 20)
                .get("/history/conversations/" + g + "/messages").then().statusCode(200).extract().asString());
        assertEquals("edit", item(sync, 3).get("op"));
        assertEquals("hello there", item(sync, 3).get("body"));
        assertEquals("👍", item(sync, 4).get("emoji"));
        assertEquals(b, ((Number) item(sync, 4).get("by")).longValue());
        assertNull(item(sync, 9).get("body"), "an edit of a recalled message loses its text");
        assertFalse(everything.toString().contains("secret plans"), "a recalled body is never served");
        assertFalse(page(alice, g, "").prettify().contains("secret plans"));

        // hidden for bob only, and its updates with it
        assertEquals(List.of(1, 8, 10, 13), page(bob, g, "").getList("items.seq"));
        assertEquals(List.of(1, 2, 8, 10, 13), page(carol, g, "").getList("items.seq"));

        // bob's own reply (seq 2) marks what is before it read; after it: mentioned by name (seq 10; seq 8 too, but
        // recalled) and by @all (seq 13); carol only by @all; updates are no unread messages
        Map<String, Object> bobsGroup = conversation(bob, g);
        assertEquals(2, bobsGroup.get("readSeq"));
        assertEquals(2, bobsGroup.get("mentionsMe"));
        assertEquals(3, bobsGroup.get("unread"), "three messages above seq 2, whatever the updates between them");
        assertEquals(1, conversation(carol, g).get("mentionsMe"));
        assertEquals(0, conversation(alice, g).get("mentionsMe"), "own messages never count");

        // every update again (a replay after a crash): the same final state
        String before = page(alice, g, "?before=14").prettify() + page(bob, g, "?before=14").prettify();
        TestLog.append(raw, TestLog.streamOf(g), updates);
        TestLog.append(raw, TestLog.streamOf(g), List.of(hello));
        TestLog.append(raw, TestLog.streamOf(g), List.of(message(g, 14, c, "after the replay", null, null, t + 14)));
        Eventually.await(Duration.ofSeconds(20), "replay consumed", () -> page(alice, g, "").getList("items.seq").contains(14));
        assertEquals(before, page(alice, g, "?before=14").prettify() + page(bob, g, "?before=14").prettify(),
                "folding everything again changes nothing");
    }

    @Test
    void theConversationListNeverPreviewsARecalledMessage() {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        TestUsers.User bob = users.login(b);
        String direct = ConversationId.direct(a, b).value();
        long t = System.currentTimeMillis();
        MessageEvent oops = message(direct, 1, a, "wrong chat, sorry", null, null, t);
        MessageEvent edited = message(direct, 3, a, "typo", null, null, t + 3);
        // the recall is on the log before its message
        TestLog.append(raw, update(direct, 2, oops.msgId(), UpdateEvent.RECALL, a, t + 2, null, null));
        TestLog.append(raw, oops);
        Eventually.await(Duration.ofSeconds(20), "the recalled message is stored",
                () -> Boolean.TRUE.equals(item(page(bob, direct, ""), 1).get("recalled")));
        Map<String, Object> preview = lastMessage(bob, direct);
        assertEquals(true, preview.get("recalled"));
        assertFalse(preview.containsKey("text"));
        assertFalse(bob.api().get("/history/conversations").then().extract().asString().contains("wrong chat"));

        TestLog.append(raw, edited, update(direct, 4, edited.msgId(), UpdateEvent.EDIT, a, t + 4, "no typo", null));
        Eventually.await(Duration.ofSeconds(20), "the edit reaches the preview", () -> "no typo".equals(lastMessage(bob, direct).get("text")));
        assertEquals(true, lastMessage(bob, direct).get("edited"));
        assertEquals(4, conversation(bob, direct).get("lastSeq"), "the last update's seq: a client syncs up to it");
        assertEquals(2, conversation(bob, direct).get("unread"), "two messages; the updates between are not unread");

        // bob deletes the last message for himself: his preview falls back to the one before it; alice's does not change
        TestUsers.User alice = users.login(a);
        TestLog.append(raw, update(direct, null, edited.msgId(), UpdateEvent.HIDE, b, t + 5, null, null));
        Eventually.await(Duration.ofSeconds(20), "bob's preview without the hidden message",
                () -> Integer.valueOf(1).equals(lastMessage(bob, direct).get("seq")));
        assertEquals(true, lastMessage(bob, direct).get("recalled"));
        assertEquals("no typo", lastMessage(alice, direct).get("text"));
    }

    private static MessageEvent message(String conv, long seq, long from, String body, ReplyTo replyTo, Mentions mentions, long ts) {
        List<Long> members = conv.startsWith("d.") ? List.of(Long.parseLong(conv.split("\\.")[1]), Long.parseLong(conv.split("\\.")[2])) : null;
        return new MessageEvent(StreamEvent.VERSION, MessageEvent.TYPE, UUID.randomUUID().toString(), conv, seq, from,
                "dev-" + from, MessageEvent.USER, "text", body, null, ts, members, replyTo, mentions, null);
    }

    private static UpdateEvent update(String conv, Integer seq, String msgId, String op, long by, long ts, String body, String emoji) {
        return UpdateEvent.of(conv, seq == null ? null : seq.longValue(), msgId, op, by, "dev-" + by, ts, body, emoji);
    }

    private static JsonPath page(TestUsers.User user, String conv, String query) {
        return user.api().get("/history/conversations/" + conv + "/messages" + query).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> item(JsonPath page, int seq) {
        List<Map<String, Object>> items = page.getList("items");
        return items.stream().filter(i -> Integer.valueOf(seq).equals(i.get("seq"))).findFirst().orElse(Map.of());
    }

    private static Map<String, Object> conversation(TestUsers.User user, String conv) {
        List<Map<String, Object>> items = user.api().get("/history/conversations").then().statusCode(200).extract()
                .jsonPath().getList("items");
        return items.stream().filter(i -> conv.equals(i.get("conv"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastMessage(TestUsers.User user, String conv) {
        return (Map<String, Object>) conversation(user, conv).get("lastMessage");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Long>> longs(Object reactions) {
        Map<String, List<Long>> result = new java.util.HashMap<>();
        ((Map<String, Object>) reactions).forEach((k, v) -> result.put(k, longsOf(v)));
        return result;
    }

    private static List<Long> longsOf(Object list) {
        List<Long> result = new ArrayList<>();
        for (Object o : (List<?>) list) {
            result.add(((Number) o).longValue());
        }
        return result;
    }
}

package io.chatplatform.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.common.event.GroupNotice;
import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.common.session.UserKeys;
import io.chatplatform.localstack.StoresTestResource;
import io.chatplatform.localstack.WsClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who may send where, from auth's mirrors as auth writes them (blocks {@code user:{uid}:blocks} with its mirrored
 * member; a group's {@code admins} set and {@code settings} hash): blocked direct sends, dissolved groups and
 * only-admins-send mode are refused with FORBIDDEN, the connection stays open, everyone else still sends.
 */
@Tag("cluster")
@QuarkusTest
class SendRulesTest extends ChatTestBase {

    private static final AtomicInteger IDS = new AtomicInteger();

    @Test
    void aDirectSendToSomeoneWhoBlockedMeIsForbiddenAndTheOtherWayStillWorks() {
        long alice = TestUsers.newUid();
        long mallory = TestUsers.newUid();
        AuthMirrorStandIn.rememberUser(alice);
        AuthMirrorStandIn.rememberUser(mallory);
        redis.set(String.class).sadd(UserKeys.blocks(alice), UserKeys.BLOCKS_MIRRORED, Long.toString(mallory));
        WsClient fromMallory = connect(users.login(mallory, "m"));
        WsClient fromAlice = connect(users.login(alice, "a"));

        assertEquals("FORBIDDEN", send(fromMallory, Map.of("user", alice)).get("code").asText());
        fromMallory.assertAlive();
        // a block is one-way: alice may still write to mallory (he blocked nobody; his mirror is asked for)
        assertEquals("ack", send(fromAlice, Map.of("user", mallory)).get("type").asText());

        redis.set(String.class).srem(UserKeys.blocks(alice), Long.toString(mallory));
        assertEquals("ack", send(fromMallory, Map.of("user", alice)).get("type").asText());
    }

    @Test
    void aBlockLostWithRedisIsAskedForAgainBeforeTheSendGoesThrough() {
        long bob = TestUsers.newUid();
        long troll = TestUsers.newUid();
        AuthMirrorStandIn.rememberUser(bob);
        AuthMirrorStandIn.rememberUser(troll);
        AuthMirrorStandIn.rememberBlock(bob, troll); // what MySQL holds
        StoresTestResource.flushRedis();
        WsClient fromTroll = connect(users.login(troll, "t"));
        assertEquals("FORBIDDEN", send(fromTroll, Map.of("user", bob)).get("code").asText());
    }

    @Test
    void aDissolvedGroupRefusesEverySendAndOnlyAdminsSendRefusesPlainMembers() {
        long owner = TestUsers.newUid();
        long admin = TestUsers.newUid();
        long member = TestUsers.newUid();
        long gid = users.newGroup(owner, admin, member);
        redis.set(String.class).sadd(GroupKeys.admins(gid), Long.toString(owner), Long.toString(admin));
        String conv = "g." + gid;
        WsClient fromOwner = connect(users.login(owner, "o"));
        WsClient fromAdmin = connect(users.login(admin, "a"));
        WsClient fromMember = connect(users.login(member, "m"));
        assertEquals("ack", send(fromMember, conv).get("type").asText());

        redis.hash(String.class).hset(GroupKeys.settings(gid), GroupKeys.ONLY_ADMINS_SEND, "1");
        assertEquals("FORBIDDEN", send(fromMember, conv).get("code").asText());
        assertEquals("ack", send(fromAdmin, conv).get("type").asText());
        assertEquals("ack", send(fromOwner, conv).get("type").asText());

        redis.hash(String.class).hset(GroupKeys.settings(gid), GroupKeys.DISSOLVED, "1");
        for (WsClient anyone : new WsClient[] {fromOwner, fromAdmin, fromMember}) {
            JsonNode refused = send(anyone, conv);
            assertEquals("FORBIDDEN", refused.get("code").asText(), refused.toString());
            anyone.assertAlive();
        }
    }

    @Test
    void aGroupNoticeFromAuthBecomesOneSystemMessageInTheGroup() throws Exception {
        long owner = TestUsers.newUid();
        long member = TestUsers.newUid();
        long gid = users.newGroup(owner, member);
        WsClient memberSocket = connect(users.login(member, "m"));
        String text = "owner renamed the group to \"n" + gid + "\"";
        redis.stream(String.class).xadd(GroupNotice.STREAM, Map.of("e", "{\"gid\":" + gid + ",\"actor\":" + owner
                + ",\"action\":\"renamed\",\"text\":\"" + text.replace("\"", "\\\"") + "\",\"ts\":1}"));

        JsonNode message = memberSocket.await(f -> "message".equals(f.path("type").asText())
                && ("g." + gid).equals(f.path("conv").asText()), java.time.Duration.ofSeconds(10));
        assertEquals("SYSTEM", message.get("senderType").asText(), message.toString());
        assertEquals(text, message.get("body").asText());
        assertEquals(owner, message.get("from").asLong());
        assertEquals(1, message.get("seq").asLong());
        // acknowledged once posted: nothing of it stays pending
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (redis.stream(String.class).xpending(GroupNotice.STREAM, GroupNotice.GROUP).getPendingCount() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the notice stayed pending");
            }
            Thread.sleep(50);
        }
    }

    private static JsonNode send(WsClient client, Object to) {
        String id = "s" + IDS.incrementAndGet();
        client.send(Map.of("type", "send", "id", id, "cid", "c" + id, "to", to, "kind", "text", "body", "hi " + id));
        return client.awaitReply(id);
    }
}

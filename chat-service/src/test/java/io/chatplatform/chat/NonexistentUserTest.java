package io.chatplatform.chat;

import io.chatplatform.common.conversation.ConversationId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import io.chatplatform.localstack.WsClient;
import com.mongodb.client.MongoClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Direct conversations with ids nobody has are refused with an error frame and leave nothing behind: no counter,
 * ceiling, read or dedup key in Redis, no seq block in MongoDB. Existence comes from auth's user-id mirror (its
 * stand-in here answers the miss requests over the real channel).
 */
@Tag("cluster")
@QuarkusTest
class NonexistentUserTest extends ChatTestBase {

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "chat.seq.database")
    String seqDatabase;

    @Test
    void aMessageToAnIdNobodyHasIsNotFoundAndStoresNothing() {
        long me = TestUsers.newUid();
        long nobody = TestUsers.unknownUid();
        WsClient client = connect(users.login(me, "d"));
        client.send(Map.of("type", "send", "id", "s1", "cid", "c1", "to", Map.of("user", nobody), "kind", "text", "body", "hello?"));
        JsonNode error = client.awaitReply("s1");
        assertEquals("error", error.get("type").asText());
        assertEquals("NOT_FOUND", error.get("code").asText(), error.toString());
        assertNothingStored(ConversationId.direct(me, nobody).value(), me, "c1");
        client.assertAlive();
    }

    @Test
    void userZeroIsNobodyEither() {
        long me = TestUsers.newUid();
        WsClient client = connect(users.login(me, "d"));
        String conv = "d.0." + me;
        client.send(Map.of("type", "send", "id", "s0", "cid", "c0", "to", conv, "kind", "text", "body", "x"));
        assertEquals("NOT_FOUND", client.awaitReply("s0").get("code").asText());
        client.send(Map.of("type", "read", "id", "r0", "conv", conv, "seq", 5));
        assertEquals("NOT_FOUND", client.awaitReply("r0").get("code").asText());
        assertNothingStored(conv, me, "c0");
    }

    @Test
    void aReadMarkerInAConversationWithNobodyIsRefused() {
        long me = TestUsers.newUid();
        long nobody = TestUsers.unknownUid();
        WsClient client = connect(users.login(me, "d"));
        String conv = ConversationId.direct(me, nobody).value();
        client.send(Map.of("type", "read", "id", "r1", "conv", conv, "seq", 3));
        assertEquals("NOT_FOUND", client.awaitReply("r1").get("code").asText());
        assertNothingStored(conv, me, "none");
    }

    /** A user whose bit is not in Redis (lost, or never mirrored): chat asks auth, which confirms the id. */
    @Test
    void anExistingUserMissingFromTheMirrorIsConfirmedOnRequest() {
        long me = TestUsers.newUid();
        long offline = TestUsers.newUid(); // exists, never logged in: no bit until auth is asked
        WsClient client = connect(users.login(me, "d"));
        client.send(Map.of("type", "send", "id", "s2", "cid", "c2", "to", Map.of("user", offline), "kind", "text", "body", "hi"));
        JsonNode ack = client.awaitReply("s2");
        assertEquals("ack", ack.get("type").asText(), ack.toString());
        assertEquals(1, ack.get("seq").asLong());
    }

    private void assertNothingStored(String conv, long sender, String cid) {
        for (String key : List.of("chat:seq:{" + conv + "}", "chat:seqceil:{" + conv + "}", "chat:read:{" + conv + "}",
                "chat:dedup:{" + conv + "}:" + sender + ":" + cid)) {
            assertEquals(0, redis.key().exists(key) ? 1 : 0, key + " must not exist");
        }
        long blocks = mongo.getDatabase(seqDatabase).getCollection("seq_blocks")
                .countDocuments(Filters.regex("_id", Pattern.quote(conv)));
        assertEquals(0, blocks, "no seq block for " + conv);
    }
}

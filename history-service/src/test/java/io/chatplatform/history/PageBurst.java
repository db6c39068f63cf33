package io.chatplatform.history;

import io.chatplatform.common.conversation.ConversationId;
import com.mongodb.client.model.Filters;
import io.chatplatform.history.store.HistoryCollections;
import io.chatplatform.localstack.Burst;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Redis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

/** n page requests at once ({@code after=} a random seq) on one stored direct conversation of 500 messages. */
final class PageBurst {

    private PageBurst() {
    }

    static Map<Integer, Integer> send(RedisDataSource redis, Redis raw, HistoryCollections store, URI base, int n) throws Exception {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        String conv = ConversationId.direct(a, b).value();
        TestUsers.User alice = users.login(a);
        TestLog.append(raw, TestLog.streamOf(conv), TestLog.directMessages(a, b, 1, 500));
        Eventually.await(Duration.ofSeconds(60), "500 ingested",
                () -> store.messages().countDocuments(Filters.eq("conv", conv)) == 500);
        return Burst.send("GET /history/conversations/{conv}/messages", n,
                i -> HttpRequest.newBuilder(base.resolve("/history/conversations/" + conv + "/messages?after=" + (i % 450) + "&limit=50"))
                        .header("Authorization", "Bearer " + alice.token()).timeout(Duration.ofSeconds(60)).GET().build());
    }
}

package io.chatplatform.auth.group;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.auth.redis.ChunkedPipeline;
import io.chatplatform.auth.redis.RedisUnavailable;
import io.chatplatform.auth.user.User;
import io.chatplatform.common.event.GroupNotice;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.XAddArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Tells chat about a group change ({@link GroupNotice} on {@code chat:group-notices}); chat posts it as a SYSTEM message
 * in the group. Called inside the change's MySQL transaction, after the mirror write: when Redis cannot take it the
 * change rolls back (503, repeat it), so a change the API confirmed always has its notice on the stream.
 */
@ApplicationScoped
public class GroupNotices {

    /** Entries kept; chat reads them within moments, this only bounds the stream if no chat instance runs. */
    private static final long MAX_LENGTH = 100_000;

    private final StreamCommands<String, String, String> streams;
    private final ObjectMapper json;

    public GroupNotices(RedisDataSource redis, ObjectMapper json) {
        this.streams = redis.stream(String.class);
        this.json = json;
    }

    public void post(long gid, long actor, String action, String text) {
        String entry;
        try {
            entry = json.writeValueAsString(new GroupNotice(gid, actor, action, text, System.currentTimeMillis()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        RedisUnavailable.guard("nothing was changed: chat could not be told; repeat the request",
                () -> ChunkedPipeline.outsideTransaction(() -> streams.xadd(GroupNotice.STREAM,
                        new XAddArgs().maxlen(MAX_LENGTH).nearlyExactTrimming(), Map.of("e", entry))));
    }

    /** How a user is named in notices: the display name. */
    static String name(long uid) {
        User user = User.findById(uid);
        return user == null ? "user " + uid : user.displayName;
    }
}

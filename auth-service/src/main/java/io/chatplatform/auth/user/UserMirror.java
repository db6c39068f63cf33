package io.chatplatform.auth.user;

import io.chatplatform.auth.redis.ChunkedPipeline;
import io.chatplatform.common.session.UserKeys;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes the Redis mirror of existing user ids ({@link UserKeys}: a bitmap per bucket of 65,536 ids) that chat reads
 * before it creates a direct conversation. Bits are only ever set: a user id never stops existing. Whole buckets are
 * OR-ed in by one script on the bucket's slot (its bitmap and a scratch key share the {bucket} tag), so a rebuild never
 * clears a bit a registration set meanwhile.
 */
@ApplicationScoped
public class UserMirror {

    private static final Logger LOG = Logger.getLogger(UserMirror.class);

    /** KEYS[1] bucket bitmap, KEYS[2] scratch key (same slot); ARGV[1] the bucket's bits from MySQL. */
    static final String MERGE_TEXT = """
            redis.call('SET', KEYS[2], ARGV[1], 'EX', 60)
            redis.call('BITOP', 'OR', KEYS[1], KEYS[1], KEYS[2])
            redis.call('DEL', KEYS[2])
            return 1
            """;

    private final ChunkedPipeline pipeline;

    public UserMirror(ChunkedPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Marks a new user as existing, after its MySQL commit. A failure is only logged: the registration stands, and chat
     * asks auth about an id whose bit it does not find ({@link #confirm}), which sets it then.
     */
    public void added(long uid) {
        try {
            pipeline.send(List.of(setBit(uid)));
        } catch (RuntimeException e) {
            LOG.warnf("could not mirror new user %d to Redis (set on chat's first request): %s", uid, e.toString());
        }
    }

    /** The answer to a rebuild request: the bit when the user exists, else {@code absent} for {@code ttl}. */
    public void confirm(long uid, boolean exists, Duration ttl) {
        pipeline.send(List.of(exists ? setBit(uid)
                : Request.cmd(Command.SET).arg(UserKeys.absent(uid)).arg("1").arg("EX").arg(Math.max(1, ttl.toSeconds()))));
    }

    /** ORs whole buckets in: bucket -> its bitmap (bit {@code uid % BUCKET_SIZE}, most significant bit first). */
    public void merge(Map<Long, byte[]> buckets) {
        List<Request> merges = new ArrayList<>(buckets.size());
        buckets.forEach((bucket, bits) -> merges.add(Request.cmd(Command.EVAL).arg(MERGE_TEXT).arg(2)
                .arg(UserKeys.existsBucket(bucket)).arg("users:{" + bucket + "}:merge").arg(bits)));
        pipeline.send(merges);
    }

    private static Request setBit(long uid) {
        return Request.cmd(Command.SETBIT).arg(UserKeys.exists(uid)).arg(UserKeys.offset(uid)).arg(1);
    }
}

package io.chatplatform.history.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.common.media.MediaKeys;
import io.chatplatform.common.media.UploadRecord;
import io.chatplatform.history.config.HistoryConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Leaves a stored upload's metadata in Redis ({@link MediaKeys#upload}) for chat-service, which has no MongoDB, to
 * check a {@code send} with {@code media {id}} against. It expires after {@code history.media.unreferenced-after}, the
 * same window after which the sweeper removes an upload no message refers to; a Redis wipe drops them early (those
 * uploads can no longer be attached: upload again).
 */
@ApplicationScoped
public class UploadRecords {

    private final ValueCommands<String, String> values;
    private final KeyCommands<String> keys;
    private final ObjectMapper json;
    private final Duration ttl;

    public UploadRecords(RedisDataSource redis, ObjectMapper json, HistoryConfig config) {
        this.values = redis.value(String.class);
        this.keys = redis.key(String.class);
        this.json = json;
        this.ttl = config.media().unreferencedAfter();
    }

    public void remember(MediaFile f) {
        UploadRecord record = new UploadRecord(f.id().toHexString(), f.owner(), f.mime(), f.size(), f.name(), f.sha256(),
                f.width(), f.height(), f.durationMs(), f.thumbnail() != null);
        try {
            values.set(MediaKeys.upload(record.id()), json.writeValueAsString(record), new SetArgs().px(ttl));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void forget(String id) {
        keys.del(MediaKeys.upload(id));
    }
}

package io.chatplatform.chat.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.common.event.Media;
import io.chatplatform.common.media.MediaKeys;
import io.chatplatform.common.media.MediaUrlSigner;
import io.chatplatform.common.media.UploadRecord;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * {@code send} with {@code media {id}}: the upload must be one the sender made. history-service leaves every stored
 * upload's metadata in Redis ({@link MediaKeys#upload}, for {@code history.media.unreferenced-after}); chat copies it
 * into the message with fresh signed URLs ({@code media.url-secret}, shared with history). A missing record (unknown
 * id, too old to attach, lost with Redis) and someone else's upload are both {@code NOT_FOUND}.
 */
@Singleton
public class Uploads {

    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper json;
    private final MediaUrlSigner signer;

    public Uploads(ReactiveRedisDataSource redis, ObjectMapper json, MediaUrlSigner signer) {
        this.values = redis.value(String.class);
        this.json = json;
        this.signer = signer;
    }

    /** The media of the sender's upload {@code id}, as stored, with signed {@code url} (and {@code thumbnail}). */
    public Uni<Media> attach(long sender, String id) {
        FrameException missing = new FrameException(ErrorCode.NOT_FOUND, "no upload " + id + " of yours to attach "
                + "(upload it to POST /media first; an upload can be attached until history.media.unreferenced-after)");
        return values.get(MediaKeys.upload(id))
                .onFailure().transform(e -> new FrameException(ErrorCode.UNAVAILABLE, "upload check unavailable; resend"))
                .map(stored -> {
                    if (stored == null) {
                        throw missing;
                    }
                    UploadRecord r;
                    try {
                        r = json.readValue(stored, UploadRecord.class);
                    } catch (JsonProcessingException e) {
                        throw missing;
                    }
                    if (r.owner() != sender || !id.equals(r.id())) {
                        throw missing;
                    }
                    return new Media(signer.url(id), r.mime(), r.size(), r.name(), r.width(), r.height(), r.durationMs(),
                            id, r.sha256(), r.thumbnail() ? signer.thumbnailUrl(id) : null);
                });
    }

    /** Media copied from another message (a forward): an upload's URLs signed again, URL-only media as they are. */
    public Media fresh(Media media) {
        return signer.fresh(media);
    }
}

package io.chatplatform.history.media;

import io.chatplatform.common.event.Media;
import io.chatplatform.common.media.MediaUrlSigner;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * history-service's view of the signed URLs ({@link MediaUrlSigner}, key {@code media.url-secret} shared with
 * chat-service, which signs the URLs of message frames).
 */
@ApplicationScoped
public class MediaUrls {

    private final MediaUrlSigner signer;

    public MediaUrls(MediaUrlSigner signer) {
        this.signer = signer;
    }

    public String url(String id) {
        return signer.url(id);
    }

    public String thumbnailUrl(String id) {
        return signer.thumbnailUrl(id);
    }

    public Media fresh(Media media) {
        return signer.fresh(media);
    }

    public MediaUrlSigner.Check check(String id, String exp, String sig) {
        return signer.check(id, exp, sig);
    }

    String sign(String id, long exp) {
        return signer.sign(id, exp);
    }
}

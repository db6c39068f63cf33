package io.chatplatform.common.media;

import io.chatplatform.common.event.Media;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Short-lived signed URLs for {@code <img>}/{@code <audio>} (browsers cannot send a bearer header there):
 * {@code /media/{id}?exp={epoch seconds}&sig={base64url HMAC-SHA256(media.url-secret, id + "." + exp)}}. One signature
 * opens the file and its thumbnail. The URLs are relative to history-service.
 */
@ApplicationScoped
public class MediaUrlSigner {

    private static final Logger LOG = Logger.getLogger(MediaUrlSigner.class);

    private final byte[] secret;
    private final MediaUrlConfig config;
    private final Clock clock = Clock.systemUTC();

    public MediaUrlSigner(MediaUrlConfig config) {
        this.config = config;
        this.secret = config.urlSecret().filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    LOG.warn("media.url-secret is not set: signed media URLs use a random per-process key (they do not "
                            + "work across replicas, restarts, or between chat-service and history-service)");
                    byte[] key = new byte[32];
                    new SecureRandom().nextBytes(key);
                    return key;
                });
    }

    /** A fresh signed URL of the file, valid for {@code media.url-ttl}. */
    public String url(String id) {
        long exp = clock.instant().plus(config.urlTtl()).getEpochSecond();
        return "/media/" + id + "?exp=" + exp + "&sig=" + sign(id, exp);
    }

    public String thumbnailUrl(String id) {
        long exp = clock.instant().plus(config.urlTtl()).getEpochSecond();
        return "/media/" + id + "/thumbnail?exp=" + exp + "&sig=" + sign(id, exp);
    }

    /** An upload's media ({@code id} set) with fresh signed URLs; URL-only media as they are. */
    public Media fresh(Media media) {
        if (media == null || media.id() == null) {
            return media;
        }
        return media.withUrls(url(media.id()), media.thumbnail() == null ? null : thumbnailUrl(media.id()));
    }

    public enum Check { VALID, EXPIRED, BAD }

    public Check check(String id, String exp, String sig) {
        long at;
        try {
            at = Long.parseLong(exp);
        } catch (NumberFormatException e) {
            return Check.BAD;
        }
        byte[] expected = sign(id, at).getBytes(StandardCharsets.US_ASCII);
        if (sig == null || !MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
            return Check.BAD;
        }
        return at < clock.instant().getEpochSecond() ? Check.EXPIRED : Check.VALID;
    }

    public String sign(String id, long exp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] h = mac.doFinal((id + "." + exp).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

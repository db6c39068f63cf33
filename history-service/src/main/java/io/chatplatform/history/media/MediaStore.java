package io.chatplatform.history.media;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSDownloadStream;
import com.mongodb.client.gridfs.GridFSUploadStream;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.store.HistoryCollections;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.bson.BsonObjectId;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Uploads in MongoDB GridFS, bucket {@code media} (collections {@code media.files} and {@code media.chunks}).
 * Bytes are streamed through a 64 KiB buffer straight into 255 KiB GridFS chunks while the SHA-256 is computed;
 * nothing holds a whole file. An upload that fails half-way (too large, over quota, client gone, store error) is
 * aborted, which deletes the chunks written so far; a file is {@code state: stored} only once complete.
 */
@ApplicationScoped
public class MediaStore {

    public static final String BUCKET = "media";
    private static final Logger LOG = Logger.getLogger(MediaStore.class);
    private static final Set<String> THUMBNAILED = Set.of("image/jpeg", "image/png", "image/gif");

    private final GridFSBucket bucket;
    private final MongoCollection<Document> files;
    private final MongoCollection<Document> chunks;
    private final HistoryConfig.Media config;

    public MediaStore(HistoryCollections store, HistoryConfig config) {
        this.bucket = GridFSBuckets.create(store.database(), BUCKET);
        this.files = store.database().getCollection(BUCKET + ".files");
        this.chunks = store.database().getCollection(BUCKET + ".chunks");
        this.config = config.media();
    }

    public MongoCollection<Document> files() {
        return files;
    }

    public MongoCollection<Document> chunks() {
        return chunks;
    }

    /** Bytes {@code owner} keeps stored (complete uploads and ones under way; thumbnails are free). */
    public long usedBytes(long owner) {
        Document sum = files.aggregate(List.of(Aggregates.match(Filters.eq(MediaFile.OWNER, owner)),
                Aggregates.group(null, Accumulators.sum("n", "$length")))).first();
        return sum == null ? 0 : ((Number) sum.get("n")).longValue();
    }

    public MediaFile upload(long owner, String declaredType, String name, Long contentLength, InputStream in) {
        long max = config.maxBytes();
        long quota = config.quotaBytes();
        if (contentLength != null && contentLength > max) {
            throw tooLarge(max);
        }
        long used = usedBytes(owner);
        if (contentLength != null && used + contentLength > quota) {
            throw quotaExceeded(used, quota);
        }
        byte[] head = new byte[MediaTypes.HEAD];
        int n;
        try {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw ApiException.invalid("the upload was interrupted");
        }
        if (n == 0) {
            throw ApiException.invalid("empty body: send the file's bytes");
        }
        String sniffed = MediaTypes.sniff(head, n);
        String declared = MediaTypes.normalize(declaredType);
        String mime = MediaTypes.reconcile(declared, sniffed);
        if (mime == null) {
            throw unsupported("declared " + declared + " but the content is " + sniffed);
        }
        if (!config.allowedTypes().contains(mime)) {
            throw unsupported(mime + " is not accepted");
        }
        ObjectId id = new ObjectId();
        MessageDigest sha = sha256();
        GridFSUploadOptions options = new GridFSUploadOptions().chunkSizeBytes(255 * 1024)
                .metadata(new Document("owner", owner).append("mime", mime).append("name", name).append("state", "uploading"));
        GridFSUploadStream up = bucket.openUploadStream(new BsonObjectId(id), name == null ? id.toHexString() : name, options);
        boolean closed = false;
        long total = n;
        try {
            if (total > max) {
                throw tooLarge(max);
            }
            up.write(head, 0, n);
            sha.update(head, 0, n);
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = readSome(in, buf)) > 0) {
                total += r;
                if (total > max) {
                    throw tooLarge(max);
                }
                if (used + total > quota) {
                    throw quotaExceeded(used, quota);
                }
                up.write(buf, 0, r);
                sha.update(buf, 0, r);
            }
            up.close();
            closed = true;
        } finally {
            if (!closed) {
                abort(up, id);
            }
        }
        try {
            String hex = HexFormat.of().formatHex(sha.digest());
            List<Bson> set = new ArrayList<>(List.of(Updates.set("metadata.sha256", hex), Updates.set(MediaFile.STATE, MediaFile.STORED)));
            if (mime.startsWith("image/")) {
                imageExtras(id, mime, name, set);
            } else if (mime.startsWith("audio/") || mime.startsWith("video/")) {
                duration(id, mime, total, set);
            }
            files.updateOne(Filters.eq("_id", id), Updates.combine(set));
            return find(id);
        } catch (RuntimeException e) {
            delete(id);
            throw e;
        }
    }

    public MediaFile find(ObjectId id) {
        Document d = files.find(Filters.and(Filters.eq("_id", id), Filters.eq(MediaFile.STATE, MediaFile.STORED))).first();
        return d == null ? null : MediaFile.of(d);
    }

    /** The thumbnail's own file document (metadata: thumbOf, mime, sha256). */
    public MediaFile thumbnailOf(MediaFile f) {
        if (f.thumbnail() == null) {
            return null;
        }
        Document d = files.find(Filters.eq("_id", f.thumbnail())).first();
        return d == null ? null : MediaFile.of(d);
    }

    public GridFSDownloadStream open(ObjectId id) {
        return bucket.openDownloadStream(id);
    }

    /** Removes an upload and its thumbnail. */
    public void delete(ObjectId id) {
        Document d = files.find(Filters.eq("_id", id)).first();
        deleteQuietly(id);
        if (d != null && d.get("metadata", Document.class) != null) {
            ObjectId thumb = d.get("metadata", Document.class).getObjectId("thumbnail");
            if (thumb != null) {
                deleteQuietly(thumb);
            }
        }
    }

    private void deleteQuietly(ObjectId id) {
        try {
            bucket.delete(id);
        } catch (com.mongodb.MongoGridFSException e) {
            // already gone (or never completed): remove whatever chunks are left
            chunks.deleteMany(Filters.eq("files_id", id));
            files.deleteOne(Filters.eq("_id", id));
        }
    }

    private void abort(GridFSUploadStream up, ObjectId id) {
        try {
            up.abort();
        } catch (RuntimeException e) {
            LOG.debugf(e, "abort of upload %s", id);
        }
        try {
            deleteQuietly(id);
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not remove the partial upload %s (the sweeper will)", id);
        }
    }

    private void duration(ObjectId id, String mime, long size, List<Bson> set) {
        try {
            Integer ms = MediaDurations.of(mime, size, () -> bucket.openDownloadStream(id));
            if (ms != null) {
                set.add(Updates.set("metadata.durationMs", ms));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf(e, "no duration for %s", id);
        }
    }

    /** Dimensions and a JPEG thumbnail (longest side {@code history.media.thumbnail-size}), decoded subsampled. */
    private void imageExtras(ObjectId id, String mime, String name, List<Bson> set) {
        try (InputStream in = bucket.openDownloadStream(id); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = iis == null ? null : ImageIO.getImageReaders(iis);
            if (readers == null || !readers.hasNext()) {
                return;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                set.add(Updates.set("metadata.width", w));
                set.add(Updates.set("metadata.height", h));
                if (!THUMBNAILED.contains(mime) || (long) w * h > config.thumbnailMaxPixels()) {
                    return;
                }
                int target = config.thumbnailSize();
                int longest = Math.max(w, h);
                int tw = longest <= target ? w : Math.max(1, (int) Math.round((double) w * target / longest));
                int th = longest <= target ? h : Math.max(1, (int) Math.round((double) h * target / longest));
                ImageReadParam param = reader.getDefaultReadParam();
                int sub = Math.max(1, longest / (target * 2));
                param.setSourceSubsampling(sub, sub, 0, 0);
                BufferedImage src = reader.read(0, param);
                BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = out.createGraphics();
                try {
                    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                    g.setColor(Color.WHITE);
                    g.fillRect(0, 0, tw, th);
                    g.drawImage(src, 0, 0, tw, th, null);
                } finally {
                    g.dispose();
                }
                ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
                if (!ImageIO.write(out, "jpg", jpeg)) {
                    return;
                }
                byte[] bytes = jpeg.toByteArray();
                ObjectId thumb = new ObjectId();
                bucket.uploadFromStream(new BsonObjectId(thumb), (name == null ? "image" : name) + ".thumb.jpg",
                        new ByteArrayInputStream(bytes), new GridFSUploadOptions().metadata(new Document("thumbOf", id)
                                .append("mime", "image/jpeg").append("width", tw).append("height", th)
                                .append("sha256", HexFormat.of().formatHex(sha256().digest(bytes)))
                                .append("state", MediaFile.STORED)));
                set.add(Updates.set("metadata.thumbnail", thumb));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // not decodable after all (truncated, exotic colour model): stored without dimensions or thumbnail
            LOG.debugf(e, "no thumbnail for %s", id);
        }
    }

    private static int readSome(InputStream in, byte[] buf) {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw ApiException.invalid("the upload was interrupted");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ApiException tooLarge(long max) {
        return new ApiException(413, "TOO_LARGE", "the file is larger than " + max + " bytes");
    }

    static ApiException quotaExceeded(long used, long quota) {
        return new ApiException(413, "QUOTA_EXCEEDED", "storage quota of " + quota + " bytes reached (" + used + " used)");
    }

    static ApiException unsupported(String message) {
        return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", message);
    }
}

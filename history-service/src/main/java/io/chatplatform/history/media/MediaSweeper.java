package io.chatplatform.history.media;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.chatplatform.history.config.HistoryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Removes uploads no message refers to once they are older than {@code history.media.unreferenced-after} (plus one
 * {@code sweep-interval}: the margin for a message chat accepted at the very end of the window that is still on its
 * way through the log), and leftovers of uploads that never completed. Their Redis record goes first, so chat can
 * no longer attach them, then the reference is checked. Every replica sweeps; deleting twice is harmless. Messages
 * removed by {@code history.retention.*} free their uploads the same way.
 */
@ApplicationScoped
public class MediaSweeper {

    private static final Logger LOG = Logger.getLogger(MediaSweeper.class);
    private static final int BATCH = 500;

    private final MediaStore store;
    private final MediaAccess access;
    private final UploadRecords records;
    private final HistoryConfig.Media config;
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;

    public MediaSweeper(MediaStore store, MediaAccess access, UploadRecords records, HistoryConfig config) {
        this.store = store;
        this.access = access;
        this.records = records;
        this.config = config.media();
    }

    void onStart(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "history-media-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, config.sweepInterval().toMillis());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweep(clock.instant().minus(config.unreferencedAfter()).minus(config.sweepInterval()));
            } catch (RuntimeException e) {
                LOG.warnf("media sweep failed (next in %s): %s", config.sweepInterval(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /**
     * Removes unreferenced uploads (and never-completed ones) uploaded before {@code before}, and the chunks of uploads
     * whose process died before GridFS wrote their file document; → how many uploads.
     */
    public int sweep(Instant before) {
        return sweepFiles(before) + sweepOrphanChunks(before);
    }

    private int sweepFiles(Instant before) {
        int removed = 0;
        ObjectId after = null;
        while (true) {
            // ids are ObjectIds drawn when the upload started: the _id index bounds the scan by time
            List<org.bson.conversions.Bson> filter = new ArrayList<>(List.of(Filters.exists(MediaFile.OWNER),
                    Filters.lt("_id", new ObjectId(Date.from(before)))));
            if (after != null) {
                filter.add(Filters.gt("_id", after));
            }
            List<Document> batch = store.files().find(Filters.and(filter)).sort(Sorts.ascending("_id"))
                    .projection(Projections.include("_id", "length", "uploadDate", "metadata")).limit(BATCH)
                    .into(new ArrayList<>());
            if (batch.isEmpty()) {
                return removed;
            }
            for (Document d : batch) {
                MediaFile f = MediaFile.of(d);
                after = f.id();
                if (MediaFile.STORED.equals(f.state())) {
                    if (access.referenced(f)) {
                        continue;
                    }
                    records.forget(f.id().toHexString());
                    if (access.referenced(f)) { // attached just before its record went
                        continue;
                    }
                }
                store.delete(f.id());
                removed++;
                LOG.debugf("removed unreferenced upload %s (%d bytes, owner %d)", f.id(), f.size(), f.owner());
            }
            if (batch.size() < BATCH) {
                return removed;
            }
        }
    }

    /**
     * GridFS writes the file document only when an upload stream closes: a process killed mid-upload leaves chunks
     * behind with no document the loop above could find. Each upload's first chunk ({@code n: 0}) names it; the
     * {@code (files_id, n)} index GridFS keeps bounds the scan by the id's time.
     */
    private int sweepOrphanChunks(Instant before) {
        int removed = 0;
        ObjectId after = null;
        while (true) {
            List<org.bson.conversions.Bson> filter = new ArrayList<>(List.of(Filters.eq("n", 0),
                    Filters.lt("files_id", new ObjectId(Date.from(before)))));
            if (after != null) {
                filter.add(Filters.gt("files_id", after));
            }
            List<Document> firsts = store.chunks().find(Filters.and(filter)).sort(Sorts.ascending("files_id"))
                    .projection(Projections.include("files_id")).limit(BATCH).into(new ArrayList<>());
            for (Document first : firsts) {
                ObjectId upload = first.getObjectId("files_id");
                after = upload;
                if (store.files().countDocuments(Filters.eq("_id", upload)) == 0) {
                    store.chunks().deleteMany(Filters.eq("files_id", upload));
                    records.forget(upload.toHexString());
                    removed++;
                    LOG.debugf("removed the chunks of upload %s, which never completed", upload);
                }
            }
            if (firsts.size() < BATCH) {
                return removed;
            }
        }
    }
}

package io.chatplatform.chat.delivery;

import io.chatplatform.chat.presence.InstanceId;
import io.chatplatform.chat.presence.PresenceKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.chatplatform.common.redis.RedisPipeline;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Reads this instance's inbox ({@code chat:inbox:{instance}}, written by other instances) on a thread of its
 * own and hands each frame to the local connections of the listed users. The instance id is new at every
 * start, so there is never a backlog from an earlier run.
 */
@Singleton
public class InboxReader {

    private static final Logger LOG = Logger.getLogger(InboxReader.class);

    private static final Duration BLOCK = Duration.ofSeconds(2);

    private final RedisPipeline pipeline;
    private final LocalDelivery local;
    private final String inbox;
    private final AtomicLong lagMillis = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    public InboxReader(RedisPipeline pipeline, LocalDelivery local, InstanceId instance, MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.local = local;
        this.inbox = PresenceKeys.inbox(instance.value());
        metrics.gauge("chat.inbox.lag.ms", lagMillis);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "chat-inbox-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the entries already read are delivered ("drain"). */
    public void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(6).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    private void loop() {
        String lastId = "0"; // a new instance id each start: everything in this inbox is for us
        while (running) {
            try {
                for (InboxEntry.Read entry : read(lastId)) {
                    lastId = entry.id();
                    deliver(entry);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("inbox read failed, retrying: %s", e.toString());
                    sleep(500);
                }
            }
        }
    }

    /**
     * XREAD COUNT 512 BLOCK 2000 on the Vert.x client itself: through the typed blocking API a blocking read times out
     * on a Redis Cluster (the same command answers in 2 s on the Vert.x client).
     */
    private List<InboxEntry.Read> read(String after) {
        Response reply = pipeline.send(Request.cmd(Command.XREAD).arg("COUNT").arg(512).arg("BLOCK").arg(BLOCK.toMillis())
                .arg("STREAMS").arg(inbox).arg(after)).await().atMost(BLOCK.plusSeconds(5));
        return InboxEntry.parse(reply);
    }

    private void deliver(InboxEntry.Read entry) {
        Map<String, String> fields = entry.fields();
        String frame = fields.get(InboxEntry.FRAME);
        String users = fields.get(InboxEntry.USERS);
        if (frame == null || users == null) {
            return;
        }
        List<Long> uids = new ArrayList<>();
        for (String uid : users.split(",")) {
            uids.add(Long.parseLong(uid));
        }
        long sentAt = Long.parseLong(fields.getOrDefault(InboxEntry.SENT_AT, "0"));
        lagMillis.set(Math.max(0, System.currentTimeMillis() - Long.parseLong(entry.id().substring(0, entry.id().indexOf('-')))));
        local.deliver(new Delivery(frame, uids, null, sentAt));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

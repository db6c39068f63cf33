package io.chatplatform.chat.delivery;

import io.chatplatform.chat.presence.InstanceId;
import io.chatplatform.chat.presence.PresenceKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XReadArgs;
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

    private final StreamCommands<String, String, String> streams;
    private final LocalDelivery local;
    private final String inbox;
    private final AtomicLong lagMillis = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    public InboxReader(RedisDataSource redis, LocalDelivery local, InstanceId instance, MeterRegistry metrics) {
        this.streams = redis.stream(String.class);
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
                List<StreamMessage<String, String, String>> entries =
                        streams.xread(inbox, lastId, new XReadArgs().block(Duration.ofSeconds(2)).count(512));
                for (StreamMessage<String, String, String> entry : entries) {
                    lastId = entry.id();
                    deliver(entry);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("inbox read failed, retrying: %s", e.getMessage());
                    sleep(500);
                }
            }
        }
    }

    private void deliver(StreamMessage<String, String, String> entry) {
        Map<String, String> fields = entry.payload();
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

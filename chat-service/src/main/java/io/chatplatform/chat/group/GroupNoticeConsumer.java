package io.chatplatform.chat.group;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.chat.conversation.GroupMirrors;
import io.chatplatform.chat.message.MessagePublisher;
import io.chatplatform.chat.presence.InstanceId;
import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.GroupNotice;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.redis.RedisPipeline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Turns auth's group notices ({@link GroupNotice} on {@code chat:group-notices}) into SYSTEM messages in the group:
 * consumer group {@value GroupNotice#GROUP}, one consumer per chat instance, so each notice is posted by one instance.
 * An entry is acknowledged only after its message is on the log and handed to the members; entries a dead instance
 * left pending are taken over after {@link #CLAIM_IDLE_MILLIS}. At least once: an instance dying between the log append
 * and the XACK posts that notice twice (a rare repeat of a system line, never a lost one). When Redis lost the stream
 * (and the group with it) the group is created again.
 */
@Singleton
public class GroupNoticeConsumer {

    private static final Logger LOG = Logger.getLogger(GroupNoticeConsumer.class);
    private static final long POLL_MILLIS = 250;
    static final long CLAIM_IDLE_MILLIS = 30_000;
    private static final int BATCH = 50;

    private final RedisPipeline redis;
    private final MessagePublisher publisher;
    private final GroupMirrors groups;
    private final String consumer;
    private final ObjectMapper json;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean stopped;
    private long lastClaim;

    public GroupNoticeConsumer(RedisPipeline redis, MessagePublisher publisher, GroupMirrors groups, InstanceId instance,
            ObjectMapper json) {
        this.json = json;
        this.redis = redis;
        this.publisher = publisher;
        this.groups = groups;
        this.consumer = instance.value();
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(POLL_MILLIS, id -> poll());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    void poll() {
        if (stopped || !busy.compareAndSet(false, true)) {
            return;
        }
        boolean claim = System.currentTimeMillis() - lastClaim > CLAIM_IDLE_MILLIS;
        Uni<List<Entry>> read = claim ? claimStale() : readNew();
        read.flatMap(this::postAll)
                .onFailure().recoverWithUni(failure -> recover(failure))
                .onTermination().invoke(() -> busy.set(false))
                .subscribe().with(done -> { }, failure -> LOG.debugf("group notices: %s", failure.toString()));
    }

    private Uni<List<Entry>> readNew() {
        return redis.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GroupNotice.GROUP).arg(consumer)
                .arg("COUNT").arg(BATCH).arg("STREAMS").arg(GroupNotice.STREAM).arg(">")).map(reply -> {
                    List<Entry> entries = new ArrayList<>();
                    if (reply == null || reply.size() == 0) {
                        return entries;
                    }
                    for (Response perStream : reply) { // RESP2: [key, entries]; RESP3 map entries iterate as [key, entries]
                        addEntries(perStream.get(1), entries);
                    }
                    return entries;
                });
    }

    private Uni<List<Entry>> claimStale() {
        lastClaim = System.currentTimeMillis();
        return redis.send(Request.cmd(Command.XAUTOCLAIM).arg(GroupNotice.STREAM).arg(GroupNotice.GROUP).arg(consumer)
                .arg(CLAIM_IDLE_MILLIS).arg("0").arg("COUNT").arg(BATCH)).map(reply -> {
                    List<Entry> entries = new ArrayList<>();
                    addEntries(reply == null ? null : reply.get(1), entries);
                    return entries;
                });
    }

    private static void addEntries(Response list, List<Entry> into) {
        if (list == null) {
            return;
        }
        for (Response entry : list) {
            if (entry == null || entry.size() < 2 || entry.get(1) == null) {
                continue; // deleted (trimmed) while pending
            }
            String id = entry.get(0).toString();
            Response fields = entry.get(1);
            String value = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("e".equals(fields.get(i).toString())) {
                    value = fields.get(i + 1).toString();
                }
            }
            into.add(new Entry(id, value));
        }
    }

    private Uni<Void> postAll(List<Entry> entries) {
        return Multi.createFrom().iterable(entries).onItem().transformToUniAndConcatenate(this::post)
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> post(Entry entry) {
        GroupNotice notice;
        try {
            notice = json.readValue(entry.value(), GroupNotice.class);
        } catch (Exception unreadable) {
            LOG.warnf("dropping unreadable group notice %s", entry.id());
            return ack(entry.id());
        }
        ConversationId conv = ConversationId.group(notice.gid());
        return groups.members(notice.gid()).flatMap(members -> members.isEmpty() ? Uni.createFrom().voidItem()
                : publisher.append(conv, notice.actor(), "system", MessageEvent.SYSTEM, "text", notice.text(), null, members)
                        .flatMap(message -> publisher.deliver(message, members, null)))
                .flatMap(posted -> ack(entry.id()));
    }

    private Uni<Void> ack(String id) {
        return redis.send(Request.cmd(Command.XACK).arg(GroupNotice.STREAM).arg(GroupNotice.GROUP).arg(id)).replaceWithVoid();
    }

    /** A missing stream or group (first start, or Redis lost its data): create both; anything else waits for the next poll. */
    private Uni<Void> recover(Throwable failure) {
        String text = String.valueOf(failure.getMessage());
        if (!text.contains("NOGROUP")) {
            return Uni.createFrom().failure(failure);
        }
        return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(GroupNotice.STREAM).arg(GroupNotice.GROUP)
                        .arg("0").arg("MKSTREAM"))
                .onFailure(e -> String.valueOf(e.getMessage()).contains("BUSYGROUP")).recoverWithItem((Response) null)
                .replaceWithVoid();
    }

    private record Entry(String id, String value) {
    }
}

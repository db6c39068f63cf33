package io.chatplatform.history.push;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.conversation.LogPartitions;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.session.GroupKeys;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.conversation.ConversationQueries;
import io.chatplatform.history.conversation.ConversationSettings;
import io.chatplatform.history.ingest.ConsumerSettings;
import io.chatplatform.history.ingest.Decoded;
import io.chatplatform.history.ingest.EntryDecoder;
import io.chatplatform.history.ingest.LogEntry;
import io.chatplatform.history.ingest.LogStreams;
import io.chatplatform.history.ingest.RedisErrors;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The offline notifier (DESIGN Part 2 "Offline notifications"): on every replica, one thread per log partition reads
 * {@code chat:log:{p}} in its own consumer group {@code push} (created at the stream's end: only messages sent from
 * then on notify), so replicas share the partitions' entries and a slow provider never holds up the ingest. For each
 * message every recipient but the sender who did not block the sender and has not muted the conversation (unless the
 * message mentions them) gets one notification per registered device without an open connection, with their total
 * unread as badge. The sent-marker {@code push:sent:{uid}:<msgId>:<device>} (SET NX) makes that at most once per
 * (message, device) however often an entry is delivered (redelivery after a failure, takeover by another replica).
 * An entry is acknowledged after all of its notifications are sent, dead-lettered or skipped.
 */
@ApplicationScoped
public class PushNotifier {

    private static final Logger LOG = Logger.getLogger(PushNotifier.class);
    static final String NEW_MESSAGE = "New message";

    private final PushConfig config;
    private final HistoryConfig history;
    private final RedisDataSource redis;
    private final PushTargets targets;
    private final PushDispatcher dispatcher;
    private final ConversationSettings settings;
    private final ConversationQueries queries;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final String consumer = ConsumerSettings.defaultConsumerName();
    private final AtomicLong processed = new AtomicLong();
    private volatile boolean stopping;

    public PushNotifier(PushConfig config, HistoryConfig history, RedisDataSource redis, PushTargets targets,
            PushDispatcher dispatcher, ConversationSettings settings, ConversationQueries queries) {
        this.config = config;
        this.history = history;
        this.redis = redis;
        this.targets = targets;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.queries = queries;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        for (int p = 0; p < history.partitions(); p++) {
            String stream = LogPartitions.streamKey(p);
            Thread t = new Thread(() -> consume(stream), "push-" + p);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        LOG.infof("push notifier: %d partitions as '%s' in group '%s'", history.partitions(), consumer, config.group());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        for (Thread t : threads) {
            t.interrupt();
        }
    }

    /** Log entries handled (acknowledged) by this replica. */
    public long processed() {
        return processed.get();
    }

    private void consume(String stream) {
        LogStreams streams = new LogStreams(redis);
        long backoff = config.retryBackoffInitial().toMillis();
        boolean groupReady = false;
        boolean ownPending = true; // after (re)start and after a failure: our own pending entries first
        long nextClaim = 0;
        while (!stopping) {
            try {
                if (!groupReady) {
                    createGroup(stream);
                    groupReady = true;
                }
                List<LogEntry> entries;
                if (ownPending) {
                    entries = streams.readGroup(stream, config.group(), consumer, "0", config.batchSize(), null);
                    if (entries.isEmpty()) {
                        ownPending = false;
                        continue;
                    }
                } else if (System.currentTimeMillis() >= nextClaim) {
                    entries = streams.autoClaim(stream, config.group(), consumer, config.claimIdle(), "0-0",
                            config.batchSize()).entries();
                    nextClaim = System.currentTimeMillis() + Math.max(1000, config.claimIdle().toMillis() / 4);
                    if (entries.isEmpty()) {
                        continue;
                    }
                } else {
                    entries = streams.readGroup(stream, config.group(), consumer, ">", config.batchSize(), config.blockTime());
                }
                for (LogEntry entry : entries) {
                    if (stopping) {
                        return;
                    }
                    handle(entry);
                    streams.ack(stream, config.group(), List.of(entry.id()));
                    processed.incrementAndGet();
                }
                backoff = config.retryBackoffInitial().toMillis();
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                if (RedisErrors.isNoGroup(e)) {
                    groupReady = false;
                }
                ownPending = true;
                LOG.warnf("push: %s: %s; retrying", stream, e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, config.retryBackoffMax().toMillis());
            }
        }
    }

    private void createGroup(String stream) {
        try {
            redis.execute("XGROUP", "CREATE", stream, config.group(), "$", "MKSTREAM");
        } catch (RuntimeException e) {
            if (!RedisErrors.isBusyGroup(e)) {
                throw e;
            }
        }
    }

    /** Sends the entry's notifications; throws (the entry stays pending) when a store is unreachable. */
    void handle(LogEntry entry) {
        Decoded decoded = EntryDecoder.decode(entry);
        if (!(decoded instanceof Decoded.Accepted accepted) || !(accepted.event() instanceof MessageEvent m)) {
            return;
        }
        if (!MessageEvent.USER.equals(m.senderType()) || m.agentsOnly()) {
            return; // system notes and desk agents' private notes wake nobody
        }
        long now = System.currentTimeMillis();
        for (long to : recipients(m)) {
            PushTargets.Lookup lookup = targets.lookup(to, m.from());
            if (lookup.blocked()) {
                continue;
            }
            List<PushTargets.Target> sendable = new ArrayList<>();
            for (PushTargets.Target t : lookup.offline()) {
                if (dispatcher.canSend(t.provider())) {
                    sendable.add(t);
                }
            }
            if (sendable.isEmpty()) {
                continue;
            }
            boolean mentioned = m.mentions() != null && m.mentions().mentions(to);
            if (!mentioned && settings.get(to, m.conv()).mutedAt(now)) {
                continue;
            }
            long unread = queries.totalUnread(to, m.conv(), m.seq());
            for (PushTargets.Target t : sendable) {
                if (targets.claim(to, m.msgId(), t.device(), config.sentMarkerTtl())) {
                    dispatcher.send(new Notification(m.conv(), m.seq(), m.msgId(), m.from(), to, t.device(), preview(m),
                            unread, m.ts()), t);
                }
            }
        }
    }

    private Set<Long> recipients(MessageEvent m) {
        Set<Long> out = new LinkedHashSet<>();
        ConversationId conv = ConversationId.parse(m.conv()).orElseThrow();
        if (conv.kind() == ConversationId.Kind.GROUP) {
            for (String member : redis.set(String.class).smembers(GroupKeys.members(conv.number()))) {
                try {
                    out.add(Long.parseLong(member));
                } catch (NumberFormatException ignored) {
                    // not a member id
                }
            }
        } else if (m.members() != null) {
            out.addAll(m.members());
        } else if (conv.kind() == ConversationId.Kind.DIRECT) {
            out.addAll(conv.directMembers());
        }
        out.remove(m.from());
        return out;
    }

    String preview(MessageEvent m) {
        if (!config.previews() || m.body() == null || m.body().isBlank()) {
            return NEW_MESSAGE;
        }
        String body = m.body().strip();
        int max = Math.max(1, config.previewLength());
        return body.codePointCount(0, body.length()) <= max ? body
                : body.substring(0, body.offsetByCodePoints(0, max)) + "…";
    }
}

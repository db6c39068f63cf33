package io.chatplatform.history.ingest;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.history.TestLog;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends messages to one log stream continuously, the way chat-service will across a Redis loss: it keeps the
 * last {@code keep} events it appended and, once told that the stream was lost ({@link #lossDetected()}),
 * optionally creates the group {@code history} from 0 (MKSTREAM) as chat does, appends one batch of new
 * messages and then re-appends the kept events (same msgId and seq, after newer entries: duplicates of what
 * history may already have stored). Appends that fail (Redis down) are retried with the same events.
 */
final class ChatLogWriter implements Runnable {

    private final Redis redis;
    private final String stream;
    private final List<String> convs;
    private final long[] users;
    private final int total;
    private final int batch;
    private final long pauseMs;
    private final int keep;
    private final boolean createsGroup;

    /** Every event appended once as new, by msgId, in order. */
    final Map<String, MessageEvent> sent = new LinkedHashMap<>();
    private final Deque<MessageEvent> recent = new ArrayDeque<>();
    private final long[] seqs;
    private volatile boolean loss;
    private volatile int sentCount;
    volatile int reappended;
    volatile int failedAppends;
    /** First message appended as new after the loss was handled (null until then). */
    volatile MessageEvent firstAfterLoss;
    volatile Throwable failure;
    private Thread thread;

    /**
     * @param users two users per conversation: conversation i is {@code d.users[2i].users[2i+1]}
     */
    ChatLogWriter(Redis redis, String stream, long[] users, int total, int batch, long pauseMs, int keep, boolean createsGroup) {
        this.redis = redis;
        this.stream = stream;
        this.users = users;
        this.total = total;
        this.batch = batch;
        this.pauseMs = pauseMs;
        this.keep = keep;
        this.createsGroup = createsGroup;
        this.convs = new ArrayList<>();
        for (int i = 0; i + 1 < users.length; i += 2) {
            convs.add(ConversationId.direct(users[i], users[i + 1]).value());
        }
        this.seqs = new long[convs.size()];
    }

    List<String> convs() {
        return convs;
    }

    int sentCount() {
        return sentCount;
    }

    void start() {
        thread = new Thread(this, "chat-log-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void join(long ms) throws InterruptedException {
        thread.join(ms);
    }

    /** Chat noticed the stream is gone (the test flushed or restarted Redis). */
    void lossDetected() {
        loss = true;
    }

    @Override
    public void run() {
        try {
            int next = 0;
            while (sentCount < total) {
                if (loss) {
                    loss = false;
                    handleLoss(next);
                    continue;
                }
                List<MessageEvent> events = newEvents(Math.min(batch, total - sentCount), next);
                next += events.size();
                appendWithRetry(events);
                remember(events);
                Thread.sleep(pauseMs);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void handleLoss(int next) throws InterruptedException {
        List<MessageEvent> kept = new ArrayList<>(recent);
        if (createsGroup) {
            withRetry(() -> {
                try {
                    redis.sendAndAwait(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(IngestFixture.GROUP)
                            .arg("0").arg("MKSTREAM"));
                } catch (RuntimeException e) {
                    if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                        throw e;
                    }
                }
            });
        }
        List<MessageEvent> newer = newEvents(Math.min(batch, total - sentCount), next);
        if (!newer.isEmpty()) {
            firstAfterLoss = newer.get(0);
            appendWithRetry(newer);
            remember(newer);
        }
        appendWithRetry(kept);
        reappended += kept.size();
    }

    private List<MessageEvent> newEvents(int count, int next) {
        List<MessageEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int c = (next + i) % convs.size();
            long seq = ++seqs[c];
            long from = seq % 2 == 0 ? users[2 * c] : users[2 * c + 1];
            MessageEvent m = TestLog.message(convs.get(c), seq, from, "m " + seq, List.of(users[2 * c], users[2 * c + 1]));
            events.add(m);
        }
        for (MessageEvent m : events) {
            sent.put(m.msgId(), m);
        }
        sentCount += events.size();
        return events;
    }

    private void remember(List<MessageEvent> events) {
        for (MessageEvent m : events) {
            recent.addLast(m);
            if (recent.size() > keep) {
                recent.removeFirst();
            }
        }
    }

    private void appendWithRetry(List<MessageEvent> events) throws InterruptedException {
        withRetry(() -> TestLog.append(redis, stream, events));
    }

    private void withRetry(Runnable call) throws InterruptedException {
        while (true) {
            try {
                call.run();
                return;
            } catch (RuntimeException e) {
                failedAppends++;
                Thread.sleep(20);
            }
        }
    }
}

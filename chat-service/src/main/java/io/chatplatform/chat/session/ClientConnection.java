package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One open WebSocket of one device: who it is, its abuse counters, a queue that runs its frames one after another, so
 * a client's frames are served in the order it sent them (its seqs follow its send order), and the bytes written to it
 * that its socket has not taken yet, so a peer that stops reading cannot make the server buffer without bound.
 */
public final class ClientConnection {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class);
    /** Frames waiting behind a slow one; beyond this the client is flooding. */
    private static final int MAX_QUEUED = 256;

    private static final AtomicLongFieldUpdater<ClientConnection> UNSENT =
            AtomicLongFieldUpdater.newUpdater(ClientConnection.class, "unsentBytes");

    private final WebSocketConnection socket;
    private final Channel channel;
    private final AuthenticatedDevice device;
    private final FrameRateLimiter rate;
    private final StrikeCounter rateViolations;
    private final StrikeCounter badFrames;
    private final Queue<Supplier<Uni<Void>>> queue = new ArrayDeque<>();
    private boolean busy;
    private volatile long lastSeenNanos = System.nanoTime();
    /** Bytes handed to the socket whose write has not completed (they sit in Netty's outbound buffer). */
    private volatile long unsentBytes;
    private volatile boolean tooSlow;

    private final Counter framesSent;
    private final Counter slowReadersClosed;
    private final long maxUnsentBytes;
    private final long closeGraceMillis;

    ClientConnection(WebSocketConnection socket, Channel channel, AuthenticatedDevice device, ChatConfig.Limits limits,
            Counter framesSent, Counter slowReadersClosed) {
        this.socket = socket;
        this.channel = channel;
        this.framesSent = framesSent;
        this.slowReadersClosed = slowReadersClosed;
        this.maxUnsentBytes = limits.maxQueuedBytes();
        this.closeGraceMillis = limits.slowReaderCloseGrace().toMillis();
        this.device = device;
        this.rate = new FrameRateLimiter(limits.framesPerSecond(), limits.frameBurst());
        this.rateViolations = new StrikeCounter(limits.maxRateViolations());
        this.badFrames = new StrikeCounter(limits.maxBadFrames());
    }

    public String id() {
        return socket.id();
    }

    public long uid() {
        return device.uid();
    }

    public String deviceId() {
        return device.deviceId();
    }

    public AuthenticatedDevice device() {
        return device;
    }

    public boolean isOpen() {
        return socket.isOpen();
    }

    /**
     * Sends without waiting; a failed write only means this connection is going away. A peer more than
     * {@code chat.limits.max-queued-bytes} behind is closed (1008) and gets nothing more: what it missed is in history.
     */
    public void send(String frame) {
        if (tooSlow || !socket.isOpen()) {
            return;
        }
        long bytes = Utf8.length(frame);
        if (UNSENT.addAndGet(this, bytes) > maxUnsentBytes) {
            UNSENT.addAndGet(this, -bytes);
            closeTooSlow();
            return;
        }
        framesSent.increment();
        socket.sendText(frame).subscribe().with(ok -> UNSENT.addAndGet(this, -bytes), failure -> {
            UNSENT.addAndGet(this, -bytes);
            LOG.debugf("send to %s failed: %s", id(), failure);
        });
    }

    long unsentBytes() {
        return unsentBytes;
    }

    private synchronized void closeTooSlow() {
        if (tooSlow) {
            return;
        }
        tooSlow = true;
        slowReadersClosed.increment();
        LOG.infof("closing %s of user %d: %d bytes not taken by its socket", id(), uid(), unsentBytes);
        close(CloseCodes.TOO_SLOW, "too slow: reconnect and sync from history").subscribe().with(ok -> { }, failure -> { });
        if (channel != null) {
            // the close frame waits behind what the peer does not read: drop the TCP connection if it cannot get through
            channel.eventLoop().schedule(() -> {
                if (channel.isOpen()) {
                    channel.close();
                }
            }, closeGraceMillis, TimeUnit.MILLISECONDS);
        }
    }

    public Uni<Void> close(int code, String reason) {
        if (socket.isClosed()) {
            return Uni.createFrom().voidItem();
        }
        return socket.close(new CloseReason(code, reason)).onFailure().recoverWithNull();
    }

    /** Anything received (frame or pong) proves the peer is alive. */
    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    long silentNanos(long now) {
        return now - lastSeenNanos;
    }

    boolean tryAcquireFrame() {
        return rate.tryAcquire();
    }

    boolean strikeRate() {
        return rateViolations.strike();
    }

    boolean strikeBadFrame() {
        return badFrames.strike();
    }

    /** Runs {@code work} after every frame queued before it has finished. @return false if the queue is full */
    boolean enqueue(Supplier<Uni<Void>> work) {
        synchronized (this) {
            if (queue.size() >= MAX_QUEUED) {
                return false;
            }
            queue.add(work);
            if (busy) {
                return true;
            }
            busy = true;
        }
        runNext();
        return true;
    }

    private void runNext() {
        Supplier<Uni<Void>> next;
        synchronized (this) {
            next = queue.poll();
            if (next == null) {
                busy = false;
                return;
            }
        }
        Uni<Void> work;
        try {
            work = next.get();
        } catch (RuntimeException e) {
            LOG.error("frame handler failed", e);
            work = Uni.createFrom().voidItem();
        }
        work.subscribe().with(ok -> runNext(), failure -> {
            LOG.error("frame handler failed", failure);
            runNext();
        });
    }
}

package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.micrometer.core.instrument.Counter;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One open WebSocket of one device: who it is, its abuse counters, and a queue that runs its frames one after
 * another, so a client's frames are served in the order it sent them (its seqs follow its send order).
 */
public final class ClientConnection {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class);
    /** Frames waiting behind a slow one; beyond this the client is flooding. */
    private static final int MAX_QUEUED = 256;

    private final WebSocketConnection socket;
    private final AuthenticatedDevice device;
    private final FrameRateLimiter rate;
    private final StrikeCounter rateViolations;
    private final StrikeCounter badFrames;
    private final Queue<Supplier<Uni<Void>>> queue = new ArrayDeque<>();
    private boolean busy;
    private volatile long lastSeenNanos = System.nanoTime();

    private final Counter framesSent;

    ClientConnection(WebSocketConnection socket, AuthenticatedDevice device, ChatConfig.Limits limits, Counter framesSent) {
        this.socket = socket;
        this.framesSent = framesSent;
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

    /** Sends without waiting; a failed write only means this connection is going away. */
    public void send(String frame) {
        if (!socket.isOpen()) {
            return;
        }
        framesSent.increment();
        socket.sendText(frame).subscribe().with(ok -> { }, failure -> LOG.debugf("send to %s failed: %s", id(), failure));
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

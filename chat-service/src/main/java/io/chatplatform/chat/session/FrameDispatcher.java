package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.chat.protocol.ClientFrame;
import io.chatplatform.chat.protocol.ErrorCode;
import io.chatplatform.chat.protocol.FrameException;
import io.chatplatform.chat.protocol.FrameHandler;
import io.chatplatform.chat.protocol.FrameParser;
import io.chatplatform.chat.protocol.ServerFrames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every client frame passes here: rate limit, parse, route to its {@link FrameHandler}, and turn failures into
 * {@code error} frames. Floods and repeated bad frames close the connection with 4008; nothing a client sends
 * affects another connection.
 */
@Singleton
public class FrameDispatcher {

    private static final Logger LOG = Logger.getLogger(FrameDispatcher.class);

    private final Map<String, FrameHandler> handlers = new HashMap<>();
    private final Counter framesIn;
    private final Counter errorsOut;

    private final int maxFrameBytes;

    public FrameDispatcher(@All List<FrameHandler> handlers, MeterRegistry metrics, ChatConfig config) {
        this.maxFrameBytes = config.limits().maxFrameBytes();
        for (FrameHandler handler : handlers) {
            for (String type : handler.types()) {
                if (this.handlers.put(type, handler) != null) {
                    throw new IllegalStateException("two handlers for frame type " + type);
                }
            }
        }
        this.framesIn = metrics.counter("chat.frames.received");
        this.errorsOut = metrics.counter("chat.frames.errors");
    }

    public void onText(ClientConnection connection, String text) {
        framesIn.increment();
        connection.touch();
        // chars * 3 bounds the UTF-8 size; only near the limit is it worth encoding to count exactly
        if (text.length() * 3L > maxFrameBytes && Utf8.length(text) > maxFrameBytes) {
            onTooLarge(connection);
            return;
        }
        if (!connection.tryAcquireFrame()) {
            if (connection.strikeRate()) {
                close(connection, CloseCodes.RATE_LIMIT, "rate limit exceeded");
            } else {
                reply(connection, FrameParser.idOf(text), ErrorCode.RATE_LIMITED, "too many frames; slow down");
            }
            return;
        }
        ClientFrame frame;
        FrameHandler handler;
        try {
            frame = FrameParser.parse(text);
            handler = handlers.get(frame.type());
            if (handler == null) {
                throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + frame.type() + "'");
            }
        } catch (FrameException e) {
            fail(connection, FrameParser.idOf(text), e);
            return;
        }
        boolean queued = connection.enqueue(() -> run(handler, connection, frame));
        if (!queued) {
            close(connection, CloseCodes.RATE_LIMIT, "too many frames in flight");
        }
    }

    /** A text frame over {@code chat.limits.max-frame-bytes}: close with 1009, as RFC 6455 says. */
    public void onTooLarge(ClientConnection connection) {
        close(connection, CloseCodes.TOO_LARGE, "frame larger than " + maxFrameBytes + " bytes");
    }

    public void onBinary(ClientConnection connection) {
        framesIn.increment();
        connection.touch();
        fail(connection, null, new FrameException(ErrorCode.BAD_FRAME, "binary frames are not supported; send JSON text frames"));
    }

    private Uni<Void> run(FrameHandler handler, ClientConnection connection, ClientFrame frame) {
        Uni<Void> work;
        try {
            work = handler.handle(connection, frame);
        } catch (FrameException e) {
            fail(connection, frame.id(), e);
            return Uni.createFrom().voidItem();
        }
        return work.onFailure().recoverWithUni(failure -> {
            if (failure instanceof FrameException e) {
                fail(connection, frame.id(), e);
            } else {
                LOG.errorf(failure, "%s frame failed", frame.type());
                reply(connection, frame.id(), ErrorCode.UNAVAILABLE, "temporarily unavailable; retry");
            }
            return Uni.createFrom().voidItem();
        });
    }

    private void fail(ClientConnection connection, String id, FrameException e) {
        if (e.clientFault() && connection.strikeBadFrame()) {
            close(connection, CloseCodes.RATE_LIMIT, "too many bad frames");
            return;
        }
        reply(connection, id, e.code(), e.getMessage());
    }

    private void reply(ClientConnection connection, String id, ErrorCode code, String message) {
        errorsOut.increment();
        connection.send(ServerFrames.error(id, code, message));
    }

    private static void close(ClientConnection connection, int code, String reason) {
        connection.close(code, reason).subscribe().with(ok -> { }, failure -> { });
    }
}

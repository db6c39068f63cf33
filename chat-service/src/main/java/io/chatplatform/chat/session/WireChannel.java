package io.chatplatform.chat.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import org.jboss.logging.Logger;

/**
 * The Netty channel under a WebSocket, for the two things the WebSocket API does not offer: closing a TCP connection
 * whose close frame cannot get through (a peer that stopped reading), and checking that text frames are UTF-8 before
 * they are decoded into strings (Vert.x replaces bad bytes with U+FFFD; RFC 6455 says close with 1007).
 */
final class WireChannel {

    private static final Logger LOG = Logger.getLogger(WireChannel.class);
    /** Names Netty's handshaker gives the WebSocket frame decoder and encoder (Vert.x: decoder, encoder, idle, handler). */
    private static final String FRAME_DECODER = "wsdecoder";
    private static final String FRAME_ENCODER = "wsencoder";
    private static final String UTF8_VALIDATOR = "chat-utf8-validator";

    private WireChannel() {
    }

    /** @return the upgrade request's channel, or null when it runs on a transport without one (never over HTTP/1.1) */
    static Channel of(HttpServerRequest request) {
        return request.connection() instanceof ConnectionBase connection ? connection.channel() : null;
    }

    /**
     * Puts a protocol guard right after the frame decoder and encoder: a text message (all its fragments) that is not UTF-8 closes
     * the connection with 1007, a frame the decoder refuses (reserved bits such as the compression bit, bad opcodes)
     * with 1002; such a frame never reaches the application.
     */
    static void guard(Channel channel) {
        if (channel == null) {
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(FRAME_DECODER) == null || pipeline.get(FRAME_ENCODER) == null) {
            LOG.warnf("no %s/%s in the pipeline %s: text frames are not checked for UTF-8", FRAME_DECODER, FRAME_ENCODER,
                    pipeline.names());
            return;
        }
        if (pipeline.get(UTF8_VALIDATOR) == null) {
            // inbound it sees decoded frames; its close frame goes out through the encoder, which lies towards the head
            pipeline.addAfter(FRAME_ENCODER, UTF8_VALIDATOR, new ProtocolGuard());
        }
    }

    /**
     * Netty's UTF-8 check, closing as RFC 6455 says: the close frame carries the violation's code (1007, 1002), the
     * connection drops what the peer sends after it, and the TCP connection is closed once the peer answers the close
     * or after {@link #LINGER_MILLIS}: closing at once, while the peer is still writing, would reset the connection and
     * the peer would never read the close frame. The violation stops here: Vert.x would otherwise close with 1000.
     */
    private static final class ProtocolGuard extends Utf8FrameValidator {

        private static final long LINGER_MILLIS = 2_000;
        private boolean violated;

        ProtocolGuard() {
            super(false);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (violated) {
                ReferenceCountUtil.release(msg);
                if (msg instanceof CloseWebSocketFrame) {
                    ctx.close();
                }
                return;
            }
            if (msg instanceof WebSocketFrame frame && frame.rsv() != 0) {
                // no extension is ever negotiated (no permessage-deflate): a reserved bit fails the connection
                ReferenceCountUtil.release(msg);
                exceptionCaught(ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                        "reserved bits set; no extension was negotiated"));
                return;
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (!(cause instanceof CorruptedWebSocketFrameException violation)) {
                super.exceptionCaught(ctx, cause);
                return;
            }
            if (violated) {
                return;
            }
            violated = true;
            LOG.debugf("protocol violation on %s: %s", ctx.channel(), violation.getMessage());
            ctx.writeAndFlush(new CloseWebSocketFrame(violation.closeStatus().code(), violation.getMessage()))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}

package io.chatplatform.localstack;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain TCP socket, for tests of what well-behaved client libraries never do: bytes that are
 * not UTF-8 in a text frame, reserved bits (a compressed frame), a client that stops reading, one huge frame written
 * in full before anything is read. Frames are masked as RFC 6455 requires of clients.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Status line's code of the upgrade answer (101 when upgraded). */
    public final int status;
    /** Response headers, names in lower case. */
    public final Map<String, String> headers;
    /** The reason text of the server's close frame, once {@link #awaitCloseCode()} has seen it. */
    public volatile String closeReason;

    private RawWebSocket(Socket socket, int status, Map<String, String> headers) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.status = status;
        this.headers = headers;
    }

    /**
     * Opens a TCP connection and sends the upgrade request with {@code extraHeaders}.
     *
     * @param receiveBuffer the socket's receive buffer in bytes (small: a reader that stops reading stalls soon), 0 =
     *                      the system default
     */
    public static RawWebSocket connect(URI uri, Map<String, String> extraHeaders, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        String key = Base64.getEncoder().encodeToString(randomBytes(16));
        StringBuilder request = new StringBuilder()
                .append("GET ").append(uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\nSec-WebSocket-Version: 13\r\n");
        extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String statusLine = readLine(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new RawWebSocket(socket, Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    public static RawWebSocket bearer(URI uri, String token, int receiveBuffer) throws IOException {
        return connect(uri, Map.of("Authorization", "Bearer " + token), receiveBuffer);
    }

    /** Writes one frame: FIN set, {@code rsv1} as given (the per-message-deflate bit), masked. */
    public void sendFrame(int opcode, byte[] payload, boolean rsv1) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | (rsv1 ? 0x40 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = randomBytes(4);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    public void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** One frame from the server (they are never masked). */
    public Frame readFrame() throws IOException {
        int first = readByte();
        int second = readByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("frame cut short");
        }
        return new Frame(first & 0x0f, payload);
    }

    /**
     * Reads (and drops) frames until the server's close frame. @return its code, or -1 when the connection ended
     * without one (what a browser reports as 1006)
     */
    public int awaitCloseCode() {
        try {
            while (true) {
                Frame frame = readFrame();
                if (frame.opcode() == CLOSE) {
                    closeReason = frame.payload().length > 2
                            ? new String(frame.payload(), 2, frame.payload().length - 2, StandardCharsets.UTF_8) : "";
                    return frame.payload().length >= 2 ? ((frame.payload()[0] & 0xff) << 8) | (frame.payload()[1] & 0xff) : 1005;
                }
            }
        } catch (IOException e) {
            return -1;
        }
    }

    /** True when the server has closed the TCP connection (read returns end of stream or a reset). */
    public boolean endOfStream() {
        try {
            while (in.read(new byte[8192]) >= 0) {
                // drain what the server sent before it closed
            }
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed");
        }
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }
}

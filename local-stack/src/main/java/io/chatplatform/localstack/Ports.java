package io.chatplatform.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.logging.Logger;

/** Finds TCP ports on 127.0.0.1 that nothing listens on. Never assumes a well-known port is free. */
public final class Ports {

    /** The address every embedded store binds to and every URL names. */
    public static final String HOST = "127.0.0.1";

    private static final InetAddress LOOPBACK = loopback();

    private Ports() {
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A port the OS considers free right now (it may be taken again before it is used: retry on bind errors). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot find a free TCP port on 127.0.0.1", e);
        }
    }

    /** True if nothing listens on 127.0.0.1:{@code port} and it can be bound. */
    public static boolean isFree(int port) {
        if (port <= 0 || port > 65535) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
        } catch (IOException e) {
            return false;
        }
        // A server bound to another local address (e.g. only 0.0.0.0 on some systems) may still answer.
        return !isListening(port);
    }

    /** True if a TCP connect to 127.0.0.1:{@code port} succeeds. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code preferred} if it is free, else a new free port. */
    public static int preferredOrFree(int preferred) {
        return preferred > 0 && isFree(preferred) ? preferred : freePort();
    }

    /** Starts a server on a port: {@link #startOnAPort}'s attempt. */
    @FunctionalInterface
    public interface PortAttempt<T> {
        T startOn(int port);
    }

    /**
     * Starts {@code what} on {@code port}, or, for port 0, on a free port, with two more free ports if the first is
     * taken between the probe and the bind (free ports are only free at the moment they are looked at).
     */
    public static <T> T startOnAPort(String what, int port, Logger log, PortAttempt<T> attempt) {
        int attempts = port > 0 ? 1 : 3;
        RuntimeException failure = null;
        for (int i = 1; i <= attempts; i++) {
            int chosen = port > 0 ? port : freePort();
            try {
                return attempt.startOn(chosen);
            } catch (RuntimeException e) {
                failure = e;
                log.warning(what + " did not start on port " + chosen + ": " + e.getMessage());
            }
        }
        throw failure;
    }
}

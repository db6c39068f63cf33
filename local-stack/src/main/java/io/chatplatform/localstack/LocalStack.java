package io.chatplatform.localstack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local stack launcher used by {@code run-local.sh}: starts embedded Redis, MariaDB and MongoDB with their data
 * under a stack folder, writes {@code <stack>/stack.env}, prints {@value #READY_LINE} and runs until SIGTERM/SIGINT.
 *
 * <pre>
 * java -cp ... io.chatplatform.localstack.LocalStack [STACK_DIR]     (default: $LOCAL_STACK_DIR, else ./.local-stack)
 * </pre>
 *
 * <ul>
 *   <li>Data: {@code <stack>/redis} (append-only file), {@code <stack>/mariadb}, {@code <stack>/mongo} (H2 file).</li>
 *   <li>Ports: remembered in {@code <stack>/ports.properties} and reused while free, else new free ones.</li>
 *   <li>A store is skipped when its real server is given by environment ({@link RealServers}); its variable is
 *       passed through to stack.env.</li>
 *   <li>On shutdown every store is stopped (no redis-server/mariadbd survives) and stack.env is deleted.</li>
 * </ul>
 */
public final class LocalStack {

    public static final String READY_LINE = "LOCAL STACK READY";
    /** The database of auth-service. */
    public static final String AUTH_DATABASE = "chat_auth";
    public static final String STACK_ENV_FILE = "stack.env";
    public static final String PORTS_FILE = "ports.properties";

    private static final Logger LOG = Logger.getLogger(LocalStack.class.getName());

    private final Path stackDir;
    private final RealServers realServers;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, BooleanSupplier> liveness = new LinkedHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch startDone = new CountDownLatch(1);
    private final StackEnvFile envFile;
    private FileChannel lockChannel;
    /** The launcher reports its shutdown on stderr (java.util.logging is already reset by then); tests stay quiet. */
    private boolean reportShutdown;

    LocalStack(Path stackDir, RealServers realServers) {
        this.stackDir = stackDir.toAbsolutePath().normalize();
        this.realServers = realServers;
        this.envFile = new StackEnvFile(this.stackDir.resolve(STACK_ENV_FILE));
    }

    public static void main(String[] args) {
        configureLogging();
        if (args.length > 1 || args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println("Usage: java -cp ... " + LocalStack.class.getName() + " [STACK_DIR]");
            System.out.println("Starts embedded Redis, MariaDB and MongoDB; data, ports.properties and stack.env go to"
                    + " STACK_DIR (default $LOCAL_STACK_DIR, else ./.local-stack). Stop with SIGTERM or Ctrl-C.");
            System.exit(args.length > 1 ? 2 : 0);
        }
        String dir = args.length == 1 ? args[0] : System.getenv().getOrDefault("LOCAL_STACK_DIR", ".local-stack");
        LocalStack stack = new LocalStack(Paths.get(dir), RealServers.fromEnvironment());
        stack.reportShutdown = true;
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-shutdown"));
        try {
            stack.start();
        } catch (RuntimeException | IOException e) {
            if (stack.stopping.get()) {
                return; // SIGTERM/SIGINT during start-up: the shutdown hook cleans up
            }
            LOG.log(Level.SEVERE, "LOCAL STACK FAILED: " + e.getMessage(), e);
            System.exit(1); // the shutdown hook stops whatever was started
        }
        System.out.println(READY_LINE);
        System.out.flush();
        stack.watch();
    }

    /** Starts the stores not given by environment and writes stack.env. */
    void start() throws IOException {
        try {
            startStores();
        } finally {
            startDone.countDown();
        }
    }

    private void startStores() throws IOException {
        Files.createDirectories(stackDir);
        lockStackDir();
        // Servers left running by a LocalStack that was killed (SIGKILL) still hold the data and the ports.
        Processes.stopLeftover(stackDir.resolve("redis").resolve(EmbeddedRedis.PID_FILE), "redis-server");
        Processes.stopLeftover(stackDir.resolve("mariadb").resolve(EmbeddedMariaDb.PID_FILE), "mariadbd");
        PortsFile ports = new PortsFile(stackDir.resolve(PORTS_FILE));

        if (realServers.redis().isPresent()) {
            LOG.info("Redis: using " + RealServers.REDIS_HOSTS + " from the environment, not starting one");
            envFile.put(RealServers.REDIS_HOSTS, realServers.redis().get());
        } else {
            EmbeddedRedis redis = track(EmbeddedRedis.builder().dataDir(stackDir.resolve("redis"))
                    .port(ports.reusablePort("redis")).persistent(true).start());
            liveness.put("redis-server", redis::isRunning);
            ports.remember("redis", redis.port());
            envFile.put(RealServers.REDIS_HOSTS, redis.uri());
        }

        if (realServers.jdbcUrl().isPresent()) {
            LOG.info("MariaDB: using " + RealServers.JDBC_URL + " from the environment, not starting one");
            envFile.put(RealServers.JDBC_URL, realServers.jdbcUrl().get());
            envFile.put(RealServers.JDBC_USERNAME, realServers.get(RealServers.JDBC_USERNAME).orElse(null));
            envFile.put(RealServers.JDBC_PASSWORD, realServers.get(RealServers.JDBC_PASSWORD).orElse(null));
        } else {
            EmbeddedMariaDb mariaDb = track(EmbeddedMariaDb.builder().dataDir(stackDir.resolve("mariadb"))
                    .port(ports.reusablePort("mariadb")).databases(AUTH_DATABASE).start());
            liveness.put("mariadbd", mariaDb::isRunning);
            ports.remember("mariadb", mariaDb.port());
            envFile.put(RealServers.JDBC_URL, mariaDb.jdbcUrl(AUTH_DATABASE));
            envFile.put(RealServers.JDBC_USERNAME, "root");
        }

        if (realServers.mongo().isPresent()) {
            LOG.info("MongoDB: using " + RealServers.MONGODB_CONNECTION_STRING + " from the environment, not starting one");
            envFile.put(RealServers.MONGODB_CONNECTION_STRING, realServers.mongo().get());
        } else {
            EmbeddedMongo mongo = track(EmbeddedMongo.builder().dataDir(stackDir.resolve("mongo"))
                    .port(ports.reusablePort("mongo")).start());
            liveness.put("mongo", mongo::isRunning);
            ports.remember("mongo", mongo.port());
            envFile.put(RealServers.MONGODB_CONNECTION_STRING, mongo.connectionString());
        }

        ports.save();
        envFile.write();
        envFile.variables().forEach((name, value) -> LOG.info(name + "=" + (name.contains("PASSWORD") ? "***" : value)));
        LOG.info("Wrote " + stackDir.resolve(STACK_ENV_FILE));
    }

    /** Blocks; exits with status 1 if a store process dies on its own. */
    void watch() {
        while (!stopping.get()) {
            for (Map.Entry<String, BooleanSupplier> store : liveness.entrySet()) {
                if (!stopping.get() && !store.getValue().getAsBoolean()) {
                    LOG.severe(store.getKey() + " stopped unexpectedly; stopping the local stack");
                    System.exit(1);
                }
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops every started store, newest first, and deletes stack.env. Idempotent. */
    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        report("Stopping the local stack...");
        envFile.delete();
        try {
            // A store being started right now is stopped by track() once it is up: wait for that.
            startDone.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<AutoCloseable> stores;
        synchronized (started) {
            stores = new ArrayList<>(started); // newest first
            started.clear();
        }
        for (AutoCloseable store : stores) {
            try {
                store.close();
            } catch (Exception e) {
                report("Stopping " + store.getClass().getSimpleName() + " failed: " + e);
            }
        }
        if (lockChannel != null) {
            try {
                lockChannel.close();
            } catch (IOException e) {
                // released anyway when the JVM exits
            }
        }
        report("Local stack stopped");
    }

    private void report(String message) {
        if (reportShutdown) {
            System.err.println(message);
        }
    }

    private <T extends AutoCloseable> T track(T store) {
        synchronized (started) {
            if (stopping.get()) { // shutdown began while this store was starting
                try {
                    store.close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "Stopping " + store.getClass().getSimpleName() + " failed", e);
                }
                throw new IllegalStateException("Shutting down");
            }
            started.push(store);
        }
        return store;
    }

    /** Refuses to run twice on the same folder (the lock is released when this JVM exits). */
    private void lockStackDir() throws IOException {
        FileChannel channel = FileChannel.open(stackDir.resolve("stack.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another LocalStack already runs on " + stackDir
                    + " (stop it first, or use another folder)");
        }
        lockChannel = channel; // released by stop()
    }

    private static void configureLogging() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s [%3$s] %5$s%6$s%n");
        }
    }
}

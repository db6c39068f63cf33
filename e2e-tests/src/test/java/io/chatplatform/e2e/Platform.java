package io.chatplatform.e2e;

import io.chatplatform.localstack.SharedStores;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole system as a user runs it: the three packaged services as processes (prod profile) on free ports,
 * against real stores (embedded on free ports, or the servers named by QUARKUS_* environment variables).
 * Started once per test JVM, stopped by a shutdown hook.
 */
public final class Platform {

    private static Platform instance;
    /** Platforms started with extra auth-service settings, by those settings (see {@link #withAuth}). */
    private static final Map<Map<String, String>, Platform> VARIANTS = new java.util.HashMap<>();

    public final URI auth;
    public final URI chatWs;
    /** The web client's page (served by chat-service). */
    public final URI web;
    public final URI history;
    /** Not "admin": on a shared real database the auth tests own that account, with another password. */
    public final String adminUser = "e2e_admin";
    public final String adminPassword = "e2e-admin-password";
    private final List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Process> started = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<String>> commands = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> chatConfig;
    private final int autoDeskPort;
    /** The page of a second chat instance whose desk assigns tickets itself (see {@link #startAutoDesk}). */
    public final URI autoDeskWeb;

    private Platform() throws Exception {
        this(Map.of(), "");
    }

    /**
     * @param authOverrides extra auth-service settings (e.g. {@code auth.jwt.lifetime}); also from the environment:
     *                      {@code E2E_AUTH_JWT_LIFETIME} for every platform of the run
     * @param name          a suffix for the logs and databases of a variant ("" for the default platform)
     */
    private Platform(Map<String, String> authOverrides, String name) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path logs = Files.createDirectories(Path.of("target", "e2e-logs" + name));
        // registered first, so services already started are stopped even when a later one fails to start
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        // the stores first: they take free ports of their own, which must not be the ones picked for the services
        String redis = SharedStores.redisUri();
        String jdbc = SharedStores.jdbcUrl("chat_e2e");
        String mongo = SharedStores.mongoConnectionString();
        int authPort = freePort();
        int chatPort = freePort();
        int historyPort = freePort();
        String jwks = "http://127.0.0.1:" + authPort + "/.well-known/jwks.json";
        String database = "chat_e2e_" + ProcessHandle.current().pid() + name.replace('-', '_');
        // the seq blocks belong with the Redis counters they fence: every chat instance on this Redis (a variant's too:
        // it posts group notices in the same groups) reserves them in one database, or a wipe hands seqs out again
        String seqDatabase = "chat_e2e_" + ProcessHandle.current().pid() + "_chat";
        String webOrigin = "http://127.0.0.1:" + chatPort; // the page calls auth and history from here (CORS)
        autoDeskPort = freePort();
        String autoDeskOrigin = "http://127.0.0.1:" + autoDeskPort;
        String origins = webOrigin + "," + autoDeskOrigin;

        Map<String, String> authConfig = new java.util.HashMap<>(Map.of(
                "quarkus.redis.hosts", redis,
                "quarkus.datasource.jdbc.url", jdbc,
                "quarkus.datasource.username", SharedStores.jdbcUsername(),
                "quarkus.datasource.password", SharedStores.jdbcPassword(),
                "auth.jwt.key-dir", Path.of("target", "e2e-keys").toAbsolutePath().toString(),
                "auth.jwt.generate-missing", "true",
                "auth.admin.username", adminUser,
                "auth.admin.password", adminPassword,
                // every e2e user registers from 127.0.0.1: far above the 10 per minute an address gets in production
                "auth.register-limit.per-address", "1000",
                "quarkus.http.cors.origins", origins));
        String lifetime = System.getenv("E2E_AUTH_JWT_LIFETIME");
        if (lifetime != null && !lifetime.isBlank()) {
            authConfig.put("auth.jwt.lifetime", lifetime.strip());
        }
        authConfig.putAll(authOverrides);
        start(root.resolve("auth-service"), logs.resolve("auth-service.log"), authPort, authConfig);
        Map<String, String> chatConfig = new java.util.HashMap<>(Map.of(
                "quarkus.redis.hosts", redis,
                "quarkus.mongodb.connection-string", mongo,
                "chat.seq.database", seqDatabase,
                "mp.jwt.verify.publickey.location", jwks,
                "chat.web.auth-url", "http://127.0.0.1:" + authPort,
                "chat.web.history-url", "http://127.0.0.1:" + historyPort,
                // the fault tests send bursts; trimming runs often, so it would show if it dropped unconsumed entries
                "chat.limits.frames-per-second", "200", "chat.limits.frame-burst", "400",
                "chat.log.trim-interval", "1s"));
        Map<String, String> historyConfig = new java.util.HashMap<>(Map.of(
                "quarkus.redis.hosts", redis,
                "quarkus.mongodb.connection-string", mongo,
                "quarkus.mongodb.database", database,
                "mp.jwt.verify.publickey.location", jwks,
                "quarkus.http.cors.origins", origins));
        // the media URLs chat signs into messages are checked by history: one key for both (as helm passes one Secret)
        String mediaSecret = "e2e-media-url-secret-" + ProcessHandle.current().pid();
        chatConfig.put("media.url-secret", mediaSecret);
        historyConfig.put("media.url-secret", mediaSecret);
        if (!name.isEmpty()) {
            // a variant shares Redis (and the log streams) with the default platform: its history reads the log as a
            // consumer group of its own, into its own database, so neither platform's history misses a message
            String group = "history" + name;
            historyConfig.put("history.ingest.group", group);
            chatConfig.put("chat.log.consumer-groups", "history," + group);
        }
        this.chatConfig = Map.copyOf(chatConfig);
        start(root.resolve("chat-service"), logs.resolve("chat-service.log"), chatPort, chatConfig);
        start(root.resolve("history-service"), logs.resolve("history-service.log"), historyPort, historyConfig);
        this.autoDeskWeb = URI.create(autoDeskOrigin + "/");
        this.auth = URI.create("http://127.0.0.1:" + authPort);
        this.chatWs = URI.create("ws://127.0.0.1:" + chatPort + "/ws");
        this.web = URI.create(webOrigin + "/");
        this.history = URI.create("http://127.0.0.1:" + historyPort);
        awaitReady(authPort, logs.resolve("auth-service.log"));
        awaitReady(chatPort, logs.resolve("chat-service.log"));
        awaitReady(historyPort, logs.resolve("history-service.log"));
    }

    public static synchronized Platform get() {
        if (instance == null) {
            try {
                instance = new Platform();
            } catch (Exception e) {
                throw new IllegalStateException("the platform did not start", e);
            }
        }
        return instance;
    }

    /**
     * A platform of its own whose auth-service runs with {@code authOverrides} on top of the usual settings (e.g. a
     * very short {@code auth.jwt.lifetime}), started on first use and kept for the run; same stores, other databases.
     * Costs a second set of service processes: only for tests that need another auth configuration.
     */
    public static synchronized Platform withAuth(Map<String, String> authOverrides) {
        return VARIANTS.computeIfAbsent(Map.copyOf(authOverrides), overrides -> {
            try {
                return new Platform(overrides, "-variant" + (VARIANTS.size() + 1));
            } catch (Exception e) {
                throw new IllegalStateException("the platform variant did not start", e);
            }
        });
    }

    /** The process id of a running service ("chat-service", ...), to read its memory. */
    public long pid(String service) {
        return started.get(service).pid();
    }

    /** The chat-service base URL (its /q/metrics, ...). */
    public URI chatHttp() {
        return URI.create("http://127.0.0.1:" + chatWs.getPort());
    }

    /**
     * Starts a second chat instance on the same stores whose desk assigns tickets itself
     * ({@code chat.desk.assignment=auto}); its page is {@link #autoDeskWeb}. Stop it with {@link #stopAutoDesk} before
     * another test runs: while it runs, it assigns every waiting ticket, including those opened through the first one.
     */
    public synchronized void startAutoDesk() throws Exception {
        Map<String, String> config = new java.util.HashMap<>(chatConfig);
        config.put("chat.desk.assignment", "auto");
        config.put("chat.desk.agent-capacity", "50"); // tickets other tests left waiting must not fill the agent up
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path log = Path.of("target", "e2e-logs", "chat-service-auto-desk.log");
        start(root.resolve("chat-service"), log, autoDeskPort, config, "chat-service-auto-desk");
        awaitReady(autoDeskPort, log);
    }

    public synchronized void stopAutoDesk() throws InterruptedException {
        Process process = started.remove("chat-service-auto-desk");
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            processes.remove(process);
        }
    }

    /** Stops history-service (SIGTERM, as a rollout would) and waits until it has exited. */
    public synchronized void stopHistory() throws InterruptedException {
        Process history = started.get("history-service");
        history.destroy();
        if (!history.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            history.destroyForcibly().waitFor();
        }
        processes.remove(history);
    }

    /** Starts history-service again, same port and configuration, and waits until it is ready. */
    public synchronized void startHistory() throws Exception {
        List<String> command = commands.get("history-service");
        Path log = Path.of("target", "e2e-logs", "history-service-restarted.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        started.put("history-service", process);
        awaitReady(history.getPort(), log);
    }

    private void start(Path module, Path log, int port, Map<String, String> config) throws IOException {
        start(module, log, port, config, module.getFileName().toString());
    }

    private void start(Path module, Path log, int port, Map<String, String> config, String name) throws IOException {
        Path jar = module.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build through the package phase first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if ("cluster".equals(SharedStores.redisClientType())) {
            // CHAT_TEST_REDIS=cluster: quarkus.redis.hosts above lists the cluster's primaries
            command.add("-Dquarkus.redis.client-type=cluster");
        }
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        started.put(name, process);
        commands.put(name, command);
    }

    private void awaitReady(int port, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("a service exited:\n" + Files.readString(log));
                }
            }
            try {
                var ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not ready on port " + port + ":\n" + Files.readString(log));
    }

    private void stop() {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

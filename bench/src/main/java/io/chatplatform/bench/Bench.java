package io.chatplatform.bench;

import io.chatplatform.localstack.RespClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chatplatform.localstack.EmbeddedRedis;
import io.chatplatform.localstack.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The benchmark run (bench/run.sh): starts Redis, two chat-service instances and two Socket.IO peer instances,
 * runs the scenarios alternately on both sides, then history-service for scenario 5, auth-service (with MariaDB) for the
 * reconnect storm of scenario 6 ({@link StormRun}), and writes
 * bench/results/latest.{json,md}. Every knob is an environment variable (see the "Benchmarks" section of README.md);
 * BenchSmokeIT runs it with tiny ones, its own folders under bench/target/smoke and no CPU pinning.
 */
public final class Bench {

    static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    static int envInt(String name, int def) {
        return Integer.parseInt(env(name, Integer.toString(def)));
    }

    final Path root = Path.of(env("BENCH_ROOT", "..")).toAbsolutePath().normalize();
    final Path benchDir = root.resolve("bench");
    /** Scratch folder: logs, token files of the idle workers. */
    final Path work = Path.of(env("BENCH_WORK", benchDir.resolve("target/run").toString())).toAbsolutePath();
    final Path logs = work.resolve("logs");
    /** Copies of the packaged services made by run.sh, so a concurrent build cannot change them mid-run. */
    final Path apps = Path.of(env("BENCH_APPS", work.resolve("apps").toString())).toAbsolutePath();
    /** Where {name}.json / {name}.md go (bench/results: the committed figures). */
    final Path resultsDir = Path.of(env("BENCH_RESULTS_DIR", benchDir.resolve("results").toString())).toAbsolutePath();
    final String resultsName = env("BENCH_RESULTS_NAME", "latest");
    final String serverCpus = env("BENCH_SERVER_CPUS", "0");
    final String clientCpus = env("BENCH_CLIENT_CPUS", "1");
    /** CPU pinning with taskset: "auto" (default) = when taskset is on the PATH, "0" = never. */
    final boolean pin = switch (env("BENCH_PIN", "auto")) {
        case "0", "false", "no" -> false;
        default -> onPath("taskset");
    };
    /** Which sides run: "ours,peer" (default) or "ours" (no node/npm needed). */
    final List<Side> sides = Arrays.stream(env("BENCH_SIDES", "ours,peer").split(",")).map(String::trim)
            .filter(s -> !s.isEmpty()).map(s -> s.equalsIgnoreCase("peer") ? Side.PEER : Side.OURS).distinct().toList();
    /** Scales the fixed settle pauses (idle levels, between sides and page rates); the smoke test uses 0.2. */
    final double pauseScale = Double.parseDouble(env("BENCH_PAUSE_SCALE", "1"));
    final String jvmOpts = env("BENCH_JVM_OPTS", "-Xms64m -Xmx512m -Xmn32m -XX:+UseSerialGC");
    final String nodeOpts = env("BENCH_NODE_OPTS", "--max-old-space-size=512");
    final List<Integer> idleLevels = ints(env("BENCH_IDLE_LEVELS", "1000,5000,10000,18000"));
    final int idlePerWorker = envInt("BENCH_IDLE_PER_WORKER", 5000);
    final int idleInFlight = envInt("BENCH_IDLE_IN_FLIGHT", 64);
    final List<String> e2e = List.of(env("BENCH_E2E", "2@1000,2@5000,10@5000,100@5000").split(","));
    /** Conversations per end-to-end run; 0 (default): 200 for 1:1, 50 for groups up to 10, 10 above (100 for history's live phase). */
    final int e2eConversations = envInt("BENCH_E2E_CONVERSATIONS", 0);
    final int seconds = envInt("BENCH_SECONDS", 6);
    final int warmup = envInt("BENCH_WARMUP", 3);
    final int drain = envInt("BENCH_DRAIN", 5);
    final int rounds = envInt("BENCH_ROUNDS", 2);
    final int bodyBytes = envInt("BENCH_BODY_BYTES", 150);
    final List<Integer> maxGroups = ints(env("BENCH_MAX_GROUPS", "2,10"));
    final List<Integer> maxGroupSteps = ints(env("BENCH_MAX_GROUP_STEPS", "2000,3000,5000,7500,10000,15000,20000,30000"));
    int maxGroup = 2;
    final List<Integer> maxSteps = ints(env("BENCH_MAX_STEPS", "1000,2000,3000,4000,5000,7500,10000,15000,20000"));
    final int maxSeconds = envInt("BENCH_MAX_SECONDS", 6);
    /** Rounds of scenario 3 (each side's ladder of steps): 1 by default to keep the whole run within 15 minutes. */
    final int maxRounds = envInt("BENCH_MAX_ROUNDS", 1);
    final int historyMessages = envInt("BENCH_HISTORY_MESSAGES", 100_000);
    final int historyConversations = envInt("BENCH_HISTORY_CONVERSATIONS", 10);
    final int historyRate = envInt("BENCH_HISTORY_RATE", 1000);
    final int historySeconds = envInt("BENCH_HISTORY_SECONDS", Math.max(seconds, 15));
    final List<Integer> pageRates = ints(env("BENCH_PAGE_RATES", "100,500"));
    /** Scenario 5's search step: messages added for one user over this many conversations (0: no search step). */
    final int searchMessages = envInt("BENCH_SEARCH_MESSAGES", 100_000);
    final int searchConversations = envInt("BENCH_SEARCH_CONVERSATIONS", 500);
    final int searchRequests = envInt("BENCH_SEARCH_REQUESTS", 200);
    final List<String> scenarios = List.of(env("BENCH_SCENARIOS", "1,2,3,5").split(","));
    final int jit = envInt("BENCH_JIT_WARMUP", 10);

    final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    final Map<String, Object> results = new LinkedHashMap<>();
    final List<String[]> table = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    EmbeddedRedis redisServer;
    RespClient redis;
    Users users;
    Procs.Server[] chat = new Procs.Server[2];
    Procs.Server[] peer = new Procs.Server[2];
    Vertx vertx;
    WebSocketClient wsClient;
    Map<String, String> verifier;

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench();
        int status = 0;
        try {
            bench.run();
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1; // and exit: Vert.x's threads would keep the JVM alive
        } finally {
            bench.stopAll();
        }
        System.exit(status);
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    /** {@code taskset -c cpus command...} when pinning, else the command alone. */
    List<String> pinned(String cpus, String... command) {
        List<String> cmd = new ArrayList<>();
        if (pin) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.addAll(List.of(command));
        return cmd;
    }

    void pause(long millis) throws InterruptedException {
        Thread.sleep(Math.round(millis * pauseScale));
    }

    static String jcmd() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
    }

    static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void log(String s) {
        System.out.println("[" + Instant.now().toString().substring(11, 19) + "] " + s);
        System.out.flush();
    }

    void run() throws Exception {
        Files.createDirectories(logs);
        Files.createDirectories(resultsDir);
        log("sides " + sides.stream().map(s -> s.label).toList() + ", CPU pinning " + (pin ? "on (taskset)" : "off")
                + ", results " + resultsDir.resolve(resultsName + ".json"));
        Map<String, Object> envInfo = environment();
        results.put("environment", envInfo);
        log("load average at start: " + envInfo.get("loadavgAtStart"));

        redisServer = EmbeddedRedis.builder().start();
        if (pin) {
            Procs.run("taskset", "-pc", serverCpus, Long.toString(redisServer.pid()));
        }
        redis = new RespClient("127.0.0.1", redisServer.port());
        log("redis-server 6.2 on port " + redisServer.port() + (pin ? " pinned to CPUs " + serverCpus : ""));

        verifier = TestTokens.verifierConfig();
        users = new Users(7_000_000_000L + (System.currentTimeMillis() % 1000) * 1_000_000L);
        int need = Math.max(scenarios.contains("1") ? idleLevels.stream().mapToInt(i -> i).max().orElse(0) : 0, e2eUsersNeeded());
        for (int g : scenarios.contains("3") ? maxGroups : List.<Integer>of()) {
            maxGroup = g;
            need = Math.max(need, maxSpec(Side.OURS, 1000).usersNeeded());
        }
        StormRun storm = scenarios.contains("6") ? new StormRun(this) : null;
        if (storm != null) {
            need = Math.max(need, storm.usersNeeded());
        }
        log("signing " + need + " RS256 access tokens and writing their device sessions ...");
        double signing = users.ensure(need, redis);
        log(String.format("  %.1f s", signing));

        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setBlockedThreadCheckInterval(60_000));
        wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setConnectTimeout(30_000).setIdleTimeout(0));

        startChat();
        envInfo.put("chatPids", List.of(chat[0].pid(), chat[1].pid()));
        if (sides.contains(Side.PEER)) {
            startPeer();
            envInfo.put("peerPids", List.of(peer[0].pid(), peer[1].pid()));
        }

        if (jit > 0) {
            warmUp(envInfo);
        }
        if (scenarios.contains("1")) {
            scenarioIdle();
        }
        if (scenarios.contains("2")) {
            scenarioLatency();
        }
        if (scenarios.contains("3")) {
            scenarioMax();
        }
        if (scenarios.contains("5")) {
            Procs.stop(Arrays.stream(peer).filter(s -> s != null).toList());
            scenarioHistory();
        }
        if (storm != null) {
            Procs.stop(Arrays.stream(peer).filter(s -> s != null && s.process().isAlive()).toList());
            storm.run();
        }
        envInfo.put("loadavgAtEnd", Files.readString(Path.of("/proc/loadavg")).trim());
        write();
    }

    /**
     * Rounds of {@code jit} s of 1:1 traffic at 2000/s until chat's JIT has settled: its compiler threads used less
     * than 5 % of the round in both instances (at most BENCH_JIT_MAX_ROUNDS). Measuring a JVM while C2 still compiles
     * charges the compiler's CPU to the scenario. The peer gets as many rounds, at most 2 (V8 settles within one;
     * it has no such simple signal).
     */
    void warmUp(Map<String, Object> envInfo) throws Exception {
        int maxRounds = envInt("BENCH_JIT_MAX_ROUNDS", 5);
        int rounds = 0;
        List<Double> compilerShare = new ArrayList<>();
        if (sides.contains(Side.OURS)) {
            double share;
            do {
                rounds++;
                double before = Procs.compilerCpuSeconds(chat[0].pid()) + Procs.compilerCpuSeconds(chat[1].pid());
                long start = System.nanoTime();
                load(new LoadRun.Spec(Side.OURS, ports(Side.OURS), 2, 200, 2000, 0, jit, drain, bodyBytes));
                double seconds = (System.nanoTime() - start) / 1e9;
                share = (Procs.compilerCpuSeconds(chat[0].pid()) + Procs.compilerCpuSeconds(chat[1].pid()) - before) / seconds;
                compilerShare.add(Math.round(share * 1000) / 1000.0);
                log(String.format("  chat warm-up round %d: JIT compiler threads used %.1f %% of a core", rounds, share * 100));
            } while (share > 0.05 && rounds < maxRounds);
        }
        if (sides.contains(Side.PEER)) {
            for (int i = 0; i < Math.max(1, Math.min(2, rounds)); i++) {
                load(new LoadRun.Spec(Side.PEER, ports(Side.PEER), 2, 200, 2000, 0, jit, drain, bodyBytes));
            }
        }
        envInfo.put("warmUp", rounds + " round(s) (peer " + Math.max(1, Math.min(2, rounds)) + ") of " + jit + " s 1:1 at 2000/s per side; chat JIT compiler share of a core per round: " + compilerShare);
    }

    int e2eUsersNeeded() {
        int n = 0;
        for (String s : e2e) {
            n = Math.max(n, spec(Side.OURS, s).usersNeeded());
        }
        if (jit > 0) {
            n = Math.max(n, 2 * 200);
        }
        if (scenarios.contains("5")) {
            n = Math.max(n, 2 * (e2eConversations > 0 ? e2eConversations : 100)); // the live phase
        }
        return Math.max(n, 2 * historyConversations);
    }

    /** "G@RATE": group size G (2 = 1:1) at RATE deliveries/s; conversations sized so each sender sends 5-50/s
     * (or BENCH_E2E_CONVERSATIONS). */
    LoadRun.Spec spec(Side side, String s) {
        String[] p = s.trim().split("@");
        int g = Integer.parseInt(p[0]);
        double rate = Double.parseDouble(p[1]);
        int convs = e2eConversations > 0 ? e2eConversations : g == 2 ? 200 : g <= 10 ? 50 : 10;
        return new LoadRun.Spec(side, ports(side), g, convs, rate, warmup, seconds, drain, bodyBytes);
    }

    LoadRun.Spec maxSpec(Side side, double rate) {
        int convs = maxGroup == 2 ? 200 : maxGroup <= 10 ? 50 : 10;
        return new LoadRun.Spec(side, ports(side), maxGroup, convs, rate, Math.min(warmup, 2), maxSeconds, drain, bodyBytes);
    }

    int[] ports(Side side) {
        Procs.Server[] s = side == Side.OURS ? chat : peer;
        return s[0] == null ? new int[] {0, 0} : new int[] {s[0].port(), s[1].port()};
    }

    // ------------------------------------------------------------------ servers

    /** The MongoDB stand-in process (chat's seq blocks, history's store), started once. */
    String ensureMongo() throws IOException {
        if (mongo == null) {
            mongo = new ProcessBuilder(pinned(serverCpus, javaBin(), "-Xmx1g", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), MongoMain.class.getName()))
                    .redirectError(logs.resolve("mongo.log").toFile()).start();
            mongoUri = new BufferedReader(new InputStreamReader(mongo.getInputStream())).readLine().substring(6);
        }
        return mongoUri;
    }

    void startChat() throws Exception {
        Path jar = apps.resolve("chat-service/quarkus-run.jar");
        String mongoConnection = ensureMongo();
        for (int i = 0; i < 2; i++) {
            int port = freePort();
            List<String> cmd = pinned(serverCpus, javaBin());
            cmd.addAll(List.of(jvmOpts.split(" ")));
            cmd.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.redis.hosts=redis://127.0.0.1:" + redisServer.port(),
                    "-Dquarkus.mongodb.connection-string=" + mongoConnection,
                    "-Dchat.limits.frames-per-second=1000", "-Dchat.limits.frame-burst=2000",
                    "-Dchat.limits.max-connections-per-user=1000",
                    "-Dquarkus.log.level=WARN"));
            verifier.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.addAll(List.of("-jar", jar.toString()));
            chat[i] = Procs.start("chat-" + (char) ('a' + i), cmd, Map.of(), port, logs.resolve("chat-" + (char) ('a' + i) + ".log"));
        }
        for (Procs.Server s : chat) {
            Procs.awaitHttp(s, "/q/health/ready", Duration.ofSeconds(120));
        }
        log("chat-service instances on ports " + chat[0].port() + ", " + chat[1].port() + " (" + jvmOpts + ")");
    }

    void startPeer() throws Exception {
        Path server = benchDir.resolve("peer/server.js");
        for (int i = 0; i < 2; i++) {
            int port = freePort();
            List<String> cmd = pinned(serverCpus, "node", "--expose-gc");
            cmd.addAll(List.of(nodeOpts.split(" ")));
            cmd.add(server.toString());
            peer[i] = Procs.start("peer-" + (char) ('a' + i), cmd, Map.of("PORT", Integer.toString(port),
                    "REDIS_URL", "redis://127.0.0.1:" + redisServer.port(),
                    "PUBLIC_KEY", verifier.get("mp.jwt.verify.publickey.location"),
                    "ISSUER", TestTokens.ISSUER, "AUDIENCE", TestTokens.AUDIENCE, "STREAM", "peer:stream"),
                    port, logs.resolve("peer-" + (char) ('a' + i) + ".log"));
        }
        for (Procs.Server s : peer) {
            Procs.awaitHttp(s, "/ready", Duration.ofSeconds(60));
        }
        log("socket.io peer instances on ports " + peer[0].port() + ", " + peer[1].port() + " (node " + nodeOpts + ")");
    }

    void stopAll() {
        List<Procs.Server> running = new ArrayList<>();
        for (Procs.Server s : Arrays.asList(chat[0], chat[1], peer[0], peer[1], history, auth)) {
            if (s != null && s.process().isAlive()) {
                running.add(s);
            }
        }
        Procs.stop(running); // all at once: chat's graceful shutdown alone takes a few seconds
        if (mongo != null) {
            mongo.destroy();
        }
        if (mariaDb != null) {
            mariaDb.stop();
        }
        if (redisServer != null) {
            redisServer.stop();
        }
    }

    double[] cpu(Side side) {
        Procs.Server[] s = side == Side.OURS ? chat : peer;
        double servers = Procs.cpuSeconds(s[0].pid()) + Procs.cpuSeconds(s[1].pid());
        return new double[] {servers, Procs.cpuSeconds(redisServer.pid()), Procs.cpuSeconds(ProcessHandle.current().pid())};
    }

    // ------------------------------------------------------------------ scenario 1: idle connections

    /** {rss, heap} of instance A after a full GC. */
    long[] memoryAfterGc(Side side) throws Exception {
        if (side == Side.OURS) {
            Procs.run(jcmd(), Long.toString(chat[0].pid()), "GC.run");
            Thread.sleep(300);
            long heap = 0;
            for (String line : Procs.get(chat[0].port(), "/q/metrics").split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new long[] {Procs.rss(chat[0].pid()), heap};
        }
        String stats = Procs.get(peer[0].port(), "/stats");
        Thread.sleep(300);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = json.readValue(stats, Map.class);
        return new long[] {Procs.rss(peer[0].pid()), ((Number) m.get("heapUsed")).longValue()};
    }

    void scenarioIdle() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        results.put("idleConnections", out);
        Map<Side, List<Map<String, Object>>> bySide = new LinkedHashMap<>();
        for (Side side : sides) {
            log("scenario 1 (" + side.label + "): idle connections on one instance, levels " + idleLevels);
            List<Map<String, Object>> levels = new ArrayList<>();
            bySide.put(side, levels);
            pause(2000);
            long[] base = memoryAfterGc(side);
            List<Process> workers = new ArrayList<>();
            List<BufferedReader> outputs = new ArrayList<>();
            int open = 0;
            try {
                for (int level : idleLevels) {
                    int add = level - open;
                    List<Process> batch = new ArrayList<>();
                    long t0 = System.nanoTime();
                    for (int from = open; from < level; from += idlePerWorker) {
                        int to = Math.min(level, from + idlePerWorker);
                        Path tokens = work.resolve("tokens-" + workers.size() + ".txt");
                        users.writeTokens(tokens, from, to);
                        String local = "127.0.0." + (2 + workers.size());
                        Process p = new ProcessBuilder(pinned(clientCpus, javaBin(), "-Xmx256m", "-XX:+UseSerialGC",
                                "-cp", System.getProperty("java.class.path"), IdleWorker.class.getName(),
                                side.name(), Integer.toString(ports(side)[0]), local, tokens.toString(),
                                Integer.toString(idleInFlight)))
                                .redirectError(logs.resolve("idle-worker-" + side.name() + "-" + workers.size() + ".log").toFile())
                                .start();
                        workers.add(p);
                        batch.add(p);
                        outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream())));
                    }
                    long ok = 0;
                    long failed = 0;
                    String error = null;
                    for (int i = workers.size() - batch.size(); i < workers.size(); i++) {
                        String line = outputs.get(i).readLine();
                        if (line == null) {
                            failed += idlePerWorker;
                            error = "worker exited";
                            continue;
                        }
                        Map<String, String> kv = kv(line);
                        ok += Long.parseLong(kv.get("ok"));
                        failed += Long.parseLong(kv.get("failed"));
                        if (kv.containsKey("error")) {
                            error = line.substring(line.indexOf("error=") + 6);
                        }
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    open += (int) ok;
                    pause(3000);
                    long[] mem = memoryAfterGc(side);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("target", level);
                    row.put("open", open);
                    row.put("failed", failed);
                    row.put("handshakesPerSecond", ok / secs);
                    row.put("rssBytes", mem[0]);
                    row.put("heapUsedBytes", mem[1]);
                    row.put("rssPerConnectionBytes", open == 0 ? 0 : (double) (mem[0] - base[0]) / open);
                    row.put("heapPerConnectionBytes", open == 0 ? 0 : (double) (mem[1] - base[1]) / open);
                    if (error != null) {
                        row.put("firstError", error);
                    }
                    levels.add(row);
                    log(String.format("  %s: %d open (%d failed), %.0f handshakes/s, RSS %.1f MiB = %.2f KiB/conn, heap %.2f KiB/conn",
                            side.label, open, failed, ok / secs, mem[0] / 1048576.0,
                            (double) row.get("rssPerConnectionBytes") / 1024, (double) row.get("heapPerConnectionBytes") / 1024));
                    if (failed > 0 || ok < add) {
                        log("  stopping the ramp: " + failed + " handshakes failed (" + error + ")");
                        break;
                    }
                }
                if (side == Side.OURS) { // evidence for where the per-connection heap goes
                    String histogram = Procs.run(jcmd(), Long.toString(chat[0].pid()), "GC.class_histogram");
                    String[] lines = histogram.split("\n");
                    String file = (resultsName.equals("latest") ? "" : resultsName + "-") + "chat-idle-heap-histogram.txt";
                    Files.writeString(resultsDir.resolve(file), "# chat-service instance A with "
                            + open + " idle connections (jcmd GC.class_histogram, top 40)\n"
                            + String.join("\n", Arrays.copyOf(lines, Math.min(lines.length, 43))) + "\n");
                }
            } finally {
                for (Process p : workers) {
                    p.getOutputStream().close();
                    p.destroy();
                }
                for (Process p : workers) {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
            Map<String, Object> sideOut = new LinkedHashMap<>();
            sideOut.put("baselineRssBytes", base[0]);
            sideOut.put("baselineHeapBytes", base[1]);
            sideOut.put("levels", levels);
            out.put(side.label, sideOut);
            pause(5000); // closes settle before the other side
        }
        // table
        List<Map<String, Object>> ours = bySide.getOrDefault(Side.OURS, List.of());
        List<Map<String, Object>> theirs = bySide.getOrDefault(Side.PEER, List.of());
        for (int i = 0; i < Math.max(ours.size(), theirs.size()); i++) {
            Map<String, Object> o = i < ours.size() ? ours.get(i) : null;
            Map<String, Object> t = i < theirs.size() ? theirs.get(i) : null;
            int level = (int) (o != null ? o : t).get("target");
            row("1 idle", level + " conns: open / failed", o == null ? "-" : o.get("open") + " / " + o.get("failed"),
                    t == null ? "-" : t.get("open") + " / " + t.get("failed"), "", "");
            row("1 idle", level + " conns: RSS per conn after GC (KiB)", kib(o, "rssPerConnectionBytes"), kib(t, "rssPerConnectionBytes"),
                    ratio(o, t, "rssPerConnectionBytes"), "lower");
            row("1 idle", level + " conns: heap per conn after GC (KiB)", kib(o, "heapPerConnectionBytes"), kib(t, "heapPerConnectionBytes"),
                    ratio(o, t, "heapPerConnectionBytes"), "lower");
            if (i > 0) {
                Map<String, Object> po = i - 1 < ours.size() ? ours.get(i - 1) : null;
                Map<String, Object> pt = i - 1 < theirs.size() ? theirs.get(i - 1) : null;
                double so = slope(po, o);
                double st = slope(pt, t);
                row("1 idle", level + " conns: marginal RSS per conn since previous level (KiB)", fmt(so), fmt(st), ratio(so, st), "lower");
            }
            row("1 idle", level + " conns: handshakes/s (step)", num(o, "handshakesPerSecond", "%.0f"), num(t, "handshakesPerSecond", "%.0f"),
                    ratio(o, t, "handshakesPerSecond"), "higher");
        }
    }

    /** (RSS - previous RSS) / (open - previous open), KiB: the cost of one more connection, free of the baseline. */
    static double slope(Map<String, Object> prev, Map<String, Object> cur) {
        if (prev == null || cur == null) {
            return Double.NaN;
        }
        double dn = ((Number) cur.get("open")).doubleValue() - ((Number) prev.get("open")).doubleValue();
        double dr = ((Number) cur.get("rssBytes")).doubleValue() - ((Number) prev.get("rssBytes")).doubleValue();
        return dn <= 0 ? Double.NaN : dr / dn / 1024;
    }

    static Map<String, String> kv(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ------------------------------------------------------------------ scenarios 2 + 4: latency, CPU

    long gidCounter = 5_000_000_000L + (System.currentTimeMillis() % 100_000) * 10_000L;

    LoadRun.Result load(LoadRun.Spec spec) throws Exception {
        LoadRun runner = new LoadRun(vertx, wsClient);
        long gidBase = gidCounter;
        gidCounter += spec.conversations();
        awaitQuiet(spec.side());
        LoadRun.Result r = runner.run(spec, users.slice(0, spec.usersNeeded()), redis, gidBase, () -> cpu(spec.side()));
        log(String.format("  %-13s %-12s %6.0f/s: delivered %d/%d (%.2f%%) = %.0f/s, p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms,"
                        + " server CPU %.3f s/1k (+redis %.3f), client CPU %.1f s, errors %d, closed %d",
                spec.side().label, spec.mode(), spec.deliveriesPerSecond(), r.received, r.expected, 100 * r.deliveryRatio(),
                r.deliveredPerSecond(), r.ms(50), r.ms(99), r.ms(99.9), r.maxMs(), r.cpuPer1000(),
                r.received == 0 ? Double.NaN : r.redisCpuSeconds / (r.received / 1000.0), r.clientCpuSeconds, r.errors, r.closed));
        return r;
    }

    /** Waits (up to 30 s) until the side's servers use under 5% of a CPU: a backlog of the last run is gone. */
    void awaitQuiet(Side side) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        double last = cpu(side)[0];
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            double now = cpu(side)[0];
            if (now - last < 0.025) {
                return;
            }
            last = now;
        }
        log("  (servers still busy after 30 s; starting anyway)");
    }

    void scenarioLatency() throws Exception {
        log("scenario 2 + 4: open-loop end-to-end latency and CPU, " + rounds + " rounds A/B, " + seconds + " s each (+" + warmup + " s warm-up)");
        Map<String, Map<Side, List<LoadRun.Result>>> all = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Side side : sides) {
                for (String s : e2e) {
                    LoadRun.Result r = load(spec(side, s));
                    all.computeIfAbsent(s, k -> new LinkedHashMap<>()).computeIfAbsent(side, k -> new ArrayList<>()).add(r);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        results.put("latency", out);
        for (var e : all.entrySet()) {
            LoadRun.Spec sp = spec(Side.OURS, e.getKey());
            String name = sp.mode() + " @ " + (int) sp.deliveriesPerSecond() + " deliveries/s";
            Map<String, Object> bySide = new LinkedHashMap<>();
            Map<Side, LoadRun.Result> merged = new LinkedHashMap<>();
            for (var s : e.getValue().entrySet()) {
                bySide.put(s.getKey().label, s.getValue().stream().map(LoadRun.Result::toMap).toList());
                merged.put(s.getKey(), merge(s.getValue()));
            }
            out.put(name, bySide);
            LoadRun.Result o = merged.get(Side.OURS);
            LoadRun.Result t = merged.get(Side.PEER);
            if (o == null) {
                o = new LoadRun.Result(); // a side that did not run: empty figures ("-")
            }
            if (t == null) {
                t = new LoadRun.Result();
            }
            row("2 latency", name + ": delivered", pct(o), pct(t), "", "higher");
            for (double p : new double[] {50, 99, 99.9}) {
                row("2 latency", name + ": p" + (p == 99.9 ? "99.9" : String.valueOf((int) p)) + " (ms)",
                        fmt(o.ms(p)), fmt(t.ms(p)), ratio(o.ms(p), t.ms(p)), "lower");
            }
            row("2 latency", name + ": max (ms)", fmt(o.maxMs()), fmt(t.maxMs()), ratio(o.maxMs(), t.maxMs()), "lower");
            row("4 cpu", name + ": server CPU-s per 1,000 deliveries", fmt3(o.cpuPer1000()), fmt3(t.cpuPer1000()),
                    ratio(o.cpuPer1000(), t.cpuPer1000()), "lower");
            row("4 cpu", name + ": servers + Redis CPU-s per 1,000 deliveries", fmt3(o.cpuPer1000WithRedis()),
                    fmt3(t.cpuPer1000WithRedis()), ratio(o.cpuPer1000WithRedis(), t.cpuPer1000WithRedis()), "lower");
        }
    }

    static LoadRun.Result merge(List<LoadRun.Result> rs) {
        LoadRun.Result m = new LoadRun.Result();
        m.spec = rs.get(0).spec;
        for (LoadRun.Result r : rs) {
            m.sent += r.sent;
            m.measuredSent += r.measuredSent;
            m.expected += r.expected;
            m.received += r.received;
            m.errors += r.errors;
            m.closed += r.closed;
            m.seconds += r.seconds;
            m.latencyMicros.add(r.latencyMicros);
            m.serverCpuSeconds += r.serverCpuSeconds;
            m.redisCpuSeconds += r.redisCpuSeconds;
            m.clientCpuSeconds += r.clientCpuSeconds;
        }
        return m;
    }

    // ------------------------------------------------------------------ scenario 3: max sustained

    void scenarioMax() throws Exception {
        for (int g : maxGroups) {
            maxGroup = g;
            scenarioMax(g == 2 ? maxSteps : maxGroupSteps);
        }
    }

    void scenarioMax(List<Integer> maxSteps) throws Exception {
        log("scenario 3: maximum sustained deliveries/s (" + (maxGroup == 2 ? "1:1" : "groups of " + maxGroup)
                + "), steps " + maxSteps + ", pass = p99 <= 100 ms and 100% delivered");
        Map<String, Object> out = new LinkedHashMap<>();
        results.put("maxSustained " + (maxGroup == 2 ? "1:1" : "groups of " + maxGroup), out);
        Map<Side, List<Double>> best = new LinkedHashMap<>();
        for (int round = 1; round <= maxRounds; round++) {
            for (Side side : sides) {
                double passed = 0;
                List<Map<String, Object>> steps = new ArrayList<>();
                for (int rate : maxSteps) {
                    LoadRun.Result r = load(maxSpec(side, rate));
                    Map<String, Object> m = r.toMap();
                    boolean pass = r.ms(99) <= 100 && r.received >= r.expected && r.closed == 0;
                    m.put("pass", pass);
                    steps.add(m);
                    if (!pass) {
                        break;
                    }
                    passed = r.deliveredPerSecond();
                }
                best.computeIfAbsent(side, k -> new ArrayList<>()).add(passed);
                out.put(side.label + " round " + round, steps);
            }
        }
        double o = best.getOrDefault(Side.OURS, List.of()).stream().mapToDouble(d -> d).min().orElse(0);
        double t = best.getOrDefault(Side.PEER, List.of()).stream().mapToDouble(d -> d).min().orElse(0);
        row("3 max", "max sustained deliveries/s (" + (maxGroup == 2 ? "1:1" : "groups of " + maxGroup)
                        + ", lower of " + maxRounds + " round(s); per round " + best.get(Side.OURS) + " vs " + best.get(Side.PEER) + ")",
                String.format("%.0f", o), String.format("%.0f", t), ratio(o, t), "higher");
    }

    // ------------------------------------------------------------------ scenario 5: history

    Procs.Server history;
    /** Scenario 6: auth-service and its MariaDB. */
    Procs.Server auth;
    io.chatplatform.localstack.EmbeddedMariaDb mariaDb;
    Process mongo;
    String mongoUri;

    void scenarioHistory() throws Exception {
        log("scenario 5: history (ours only; the peer has no history)");
        Map<String, Object> out = new LinkedHashMap<>();
        results.put("history", out);
        int partitions = 8;
        for (int p = 0; p < partitions; p++) {
            redis.call("DEL", "chat:log:{" + p + "}");
        }
        // 1. a backlog of N message events in the log, as chat writes them
        List<String> convs = new ArrayList<>();
        int perConv = historyMessages / historyConversations;
        long ts = System.currentTimeMillis();
        for (int c = 0; c < historyConversations; c++) {
            Users.User a = users.get(2 * c);
            Users.User b = users.get(2 * c + 1);
            String conv = "d." + Math.min(a.uid(), b.uid()) + "." + Math.max(a.uid(), b.uid());
            convs.add(conv);
            redis.call("DEL", "chat:seq:{" + conv + "}");
            String stream = "chat:log:{" + partition(conv, partitions) + "}";
            String body = Side.body(0, bodyBytes).replace("t0|", "hi|");
            for (int s = 1; s <= perConv; s++) {
                String event = "{\"v\":1,\"type\":\"message\",\"msgId\":\"bench-" + conv + "-" + s + "\",\"conv\":\"" + conv
                        + "\",\"seq\":" + s + ",\"from\":" + a.uid() + ",\"fromDevice\":\"bench\",\"senderType\":\"USER\","
                        + "\"kind\":\"text\",\"body\":\"" + body + "\",\"ts\":" + (ts + s) + ",\"members\":[" + a.uid() + "," + b.uid() + "]}";
                redis.queue("XADD", stream, "*", "e", event);
            }
            redis.flush();
            redis.call("SET", "chat:seq:{" + conv + "}", Integer.toString(perConv));
        }
        log("  " + historyMessages + " events in chat:log:{0.." + (partitions - 1) + "} (" + historyConversations + " conversations)");
        // 2. MongoDB stand-in + history-service
        long startNanos = System.nanoTime();
        int port = startHistory();
        long firstSeen = 0;
        long doneAt = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(envInt("BENCH_HISTORY_INGEST_TIMEOUT", 240)).toNanos();
        while (System.nanoTime() < deadline) {
            long[] s = backlog(partitions);
            if (firstSeen == 0 && s[0] > 0) {
                firstSeen = System.nanoTime();
            }
            if (s[0] == partitions && s[1] == 0) {
                doneAt = System.nanoTime();
                break;
            }
            if (!history.process().isAlive()) {
                throw new IllegalStateException("history-service exited:\n" + Procs.tail(history.log()));
            }
            Thread.sleep(100);
        }
        Procs.awaitHttp(history, "/q/health/ready", Duration.ofSeconds(60));
        double ingestSeconds = doneAt == 0 ? Double.NaN : (doneAt - firstSeen) / 1e9;
        double ingestRate = historyMessages / ingestSeconds;
        out.put("backlogMessages", historyMessages);
        out.put("backlogAllAcknowledged", doneAt != 0);
        out.put("backlogIngestSeconds", ingestSeconds);
        out.put("backlogIngestPerSecond", ingestRate);
        out.put("startToCaughtUpSeconds", doneAt == 0 ? Double.NaN : (doneAt - startNanos) / 1e9);
        log(String.format("  backlog of %d ingested in %.1f s = %.0f msgs/s (%s)", historyMessages, ingestSeconds, ingestRate,
                doneAt == 0 ? "NOT caught up before the timeout" : "all acknowledged"));
        row("5 history", "backlog ingest (" + historyMessages + " msgs), msgs/s", String.format("%.0f", ingestRate), "n/a", "", "higher");

        // 3. live: chat at a fixed rate while sampling the age of the oldest not-yet-stored log entry
        Histogram lagMs = new Histogram(600_000L, 3);
        boolean[] sampling = {true};
        Thread sampler = new Thread(() -> {
            try (RespClient r = new RespClient("127.0.0.1", redisServer.port())) {
                while (sampling[0]) {
                    lagMs.recordValue(Math.min(600_000L, oldestUnstoredAgeMs(r, partitions)));
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                log("  lag sampler failed: " + e);
            }
        });
        sampler.start();
        LoadRun.Spec live = new LoadRun.Spec(Side.OURS, ports(Side.OURS), 2, e2eConversations > 0 ? e2eConversations : 100,
                historyRate, warmup, historySeconds, drain, bodyBytes);
        long liveStart = System.nanoTime();
        LoadRun.Result lr = load(live);
        long catchUpStart = System.nanoTime();
        long caughtUp = 0;
        while (System.nanoTime() - catchUpStart < 60_000_000_000L) {
            long[] s = backlog(partitions);
            if (s[1] == 0) {
                caughtUp = System.nanoTime();
                break;
            }
            Thread.sleep(50);
        }
        sampling[0] = false;
        sampler.join();
        double liveSeconds = (catchUpStart - liveStart) / 1e9;
        out.put("liveRatePerSecond", historyRate);
        out.put("liveSent", lr.sent);
        out.put("liveDelivery", lr.toMap());
        out.put("liveLagP50Ms", lagMs.getValueAtPercentile(50));
        out.put("liveLagP99Ms", lagMs.getValueAtPercentile(99));
        out.put("liveLagMaxMs", lagMs.getMaxValue());
        out.put("liveAllAcknowledged", caughtUp != 0);
        out.put("liveCatchUpAfterLastSendSeconds", caughtUp == 0 ? Double.NaN : (caughtUp - catchUpStart) / 1e9);
        log(String.format("  live %d msgs/s for %.0f s: stream->store lag (age of oldest unstored entry, sampled every 100 ms)"
                        + " p50 %d ms, p99 %d ms, max %d ms; caught up %.2f s after the last delivery",
                historyRate, liveSeconds, lagMs.getValueAtPercentile(50), lagMs.getValueAtPercentile(99), lagMs.getMaxValue(),
                caughtUp == 0 ? Double.NaN : (caughtUp - catchUpStart) / 1e9));
        row("5 history", "live ingest at " + historyRate + " msgs/s: stream->store lag p50 / p99 / max (ms)",
                lagMs.getValueAtPercentile(50) + " / " + lagMs.getValueAtPercentile(99) + " / " + lagMs.getMaxValue(), "n/a", "", "lower");

        // 4. page-of-50 latency at fixed request rates over the stored messages
        List<Map<String, Object>> pages = new ArrayList<>();
        out.put("pages", pages);
        for (int pageRate : pageRates) {
            PageRun.Result pr = new PageRun(vertx).run(port, users, convs, perConv, pageRate, warmup, seconds);
            pages.add(pr.toMap());
            log(String.format("  page of 50 at %d req/s: %d ok / %d requests, p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms",
                    pageRate, pr.ok, pr.requests, pr.ms(50), pr.ms(99), pr.ms(99.9), pr.maxMs()));
            row("5 history", "page of 50 over " + historyMessages + " stored, " + pageRate + " req/s: p50 / p99 / p99.9 / max (ms)",
                    fmt(pr.ms(50)) + " / " + fmt(pr.ms(99)) + " / " + fmt(pr.ms(99.9)) + " / " + fmt(pr.maxMs())
                            + (pr.ok < pr.requests ? " (" + (pr.requests - pr.ok) + " failed)" : ""), "n/a", "", "lower");
            pause(3000);
        }

        // 5. search latency for a user with many conversations, over everything stored
        if (searchMessages > 0) {
            scenarioSearch(out, port, partitions);
        }
    }

    void scenarioSearch(Map<String, Object> out, int port, int partitions) throws Exception {
        Users.User searcher = users.get(0);
        SearchRun.seed(redis, searcher, searchConversations, searchMessages, partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(envInt("BENCH_HISTORY_INGEST_TIMEOUT", 240)).toNanos();
        while (backlog(partitions)[1] > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long stored = historyMessages + (long) historyRate * (warmup + historySeconds) + searchMessages;
        log("  search: " + searchMessages + " messages added for one user in " + searchConversations
                + " conversations (about " + stored + " stored in all)");
        Map<String, Object> search = new LinkedHashMap<>();
        out.put("search", search);
        search.put("searcherConversations", searchConversations);
        search.put("searcherMessages", searchMessages);
        search.put("storedAboutInAll", stored);
        List<Map<String, Object>> queries = new ArrayList<>();
        search.put("queries", queries);
        for (SearchRun.Result r : SearchRun.measure(port, searcher, Math.min(20, searchRequests), searchRequests)) {
            queries.add(r.toMap());
            log(String.format("  search %s (%s): %d ok / %d, first page %d hits, p50 %.2f p99 %.2f ms", r.query.q(),
                    r.query.label(), r.ok, r.requests, r.firstPageHits, r.ms(50), r.ms(99)));
            row("5 history", "search \"" + r.query.q() + "\", " + r.query.label() + ", user with " + searchConversations
                    + " conversations, " + searchMessages + " of theirs stored: p50 / p99 (ms)",
                    fmt(r.ms(50)) + " / " + fmt(r.ms(99)) + (r.ok < r.requests ? " (" + (r.requests - r.ok) + " failed)" : ""),
                    "n/a", "", "lower");
        }
    }

    /** Starts history-service (and the Mongo stand-in) unless it runs; returns its port. Readiness is the caller's. */
    int startHistory() throws Exception {
        if (history != null) {
            return history.port();
        }
        String mongoUri = ensureMongo();
        int port = freePort();
        List<String> cmd = pinned(serverCpus, javaBin());
        cmd.addAll(List.of(jvmOpts.split(" ")));
        cmd.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.redis.hosts=redis://127.0.0.1:" + redisServer.port(),
                "-Dquarkus.mongodb.connection-string=" + mongoUri, "-Dquarkus.mongodb.database=bench",
                "-Dquarkus.log.level=WARN"));
        verifier.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", apps.resolve("history-service/quarkus-run.jar").toString()));
        history = Procs.start("history", cmd, Map.of(), port, logs.resolve("history.log"));
        return port;
    }

    static int partition(String conv, int partitions) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(conv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    /** {partitions with the history group, entries not yet acknowledged (pending + undelivered)}. */
    long[] backlog(int partitions) throws Exception {
        long groups = 0;
        long outstanding = 0;
        for (int p = 0; p < partitions; p++) {
            String stream = "chat:log:{" + p + "}";
            Map<String, Object> info = pairs(redis.call("XINFO", "STREAM", stream));
            String last = (String) info.get("last-generated-id");
            Map<String, Object> group = historyGroup(redis, stream);
            if (group == null) {
                outstanding += (Long) info.get("length");
                continue;
            }
            groups++;
            outstanding += (Long) group.get("pending");
            if (!last.equals(group.get("last-delivered-id"))) {
                outstanding += 1; // at least one not delivered yet
            }
        }
        return new long[] {groups, outstanding};
    }

    static Map<String, Object> historyGroup(RespClient r, String stream) throws Exception {
        Object groups = r.call("XINFO", "GROUPS", stream);
        for (Object g : (List<?>) groups) {
            Map<String, Object> m = pairs(g);
            if ("history".equals(m.get("name"))) {
                return m;
            }
        }
        return null;
    }

    /** Age of the oldest log entry not yet stored (pending in the group, or not yet delivered to it), in ms. */
    static long oldestUnstoredAgeMs(RespClient r, int partitions) throws Exception {
        long now = System.currentTimeMillis();
        long oldest = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++) {
            String stream = "chat:log:{" + p + "}";
            Map<String, Object> group = historyGroup(r, stream);
            if (group == null) {
                continue;
            }
            List<?> pending = (List<?>) r.call("XPENDING", stream, "history");
            if ((Long) pending.get(0) > 0) {
                oldest = Math.min(oldest, idMillis((String) pending.get(1)));
                continue;
            }
            List<?> next = (List<?>) r.call("XRANGE", stream, "(" + group.get("last-delivered-id"), "+", "COUNT", "1");
            if (!next.isEmpty()) {
                oldest = Math.min(oldest, idMillis((String) ((List<?>) next.get(0)).get(0)));
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest);
    }

    static long idMillis(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    static Map<String, Object> pairs(Object reply) {
        List<?> l = (List<?>) reply;
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            m.put((String) l.get(i), l.get(i + 1));
        }
        return m;
    }

    // ------------------------------------------------------------------ report

    void row(String scenario, String metric, String ours, String peerValue, String ratio, String better) {
        table.add(new String[] {scenario, metric, ours, peerValue, ratio, better});
    }

    static String kib(Map<String, Object> m, String key) {
        return m == null ? "-" : String.format("%.2f", ((Number) m.get(key)).doubleValue() / 1024);
    }

    static String num(Map<String, Object> m, String key, String f) {
        return m == null ? "-" : String.format(f, ((Number) m.get(key)).doubleValue());
    }

    static String ratio(Map<String, Object> o, Map<String, Object> t, String key) {
        if (o == null || t == null) {
            return "";
        }
        return ratio(((Number) o.get(key)).doubleValue(), ((Number) t.get(key)).doubleValue());
    }

    static String ratio(double o, double t) {
        if (Double.isNaN(o) || Double.isNaN(t) || t == 0) {
            return "";
        }
        return String.format("%.2f", o / t);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.2f", v);
    }

    static String fmt3(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.3f", v);
    }

    static String pct(LoadRun.Result r) {
        return r == null ? "-" : String.format("%.2f%% (%d/%d)", 100 * r.deliveryRatio(), r.received, r.expected);
    }

    Map<String, Object> environment() throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("date", Instant.now().toString());
        e.put("loadavgAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
        e.put("cores", Runtime.getRuntime().availableProcessors() + " visible to the client" + (pin ? " (pinned)" : "") + "; nproc "
                + Procs.run("nproc", "--all").trim());
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        e.put("cpu", model);
        e.put("memTotal", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        e.put("kernel", Procs.run("uname", "-r").trim());
        e.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        e.put("node", sides.contains(Side.PEER) ? Procs.run("node", "--version").trim() : "not used (BENCH_SIDES=ours)");
        e.put("chatService", "chat-service 0.1.0-SNAPSHOT (Quarkus 3.30.6), packaged jar, 2 instances");
        e.put("peer", "socket.io 4.8.4 + @socket.io/redis-streams-adapter 0.3.1 + redis 4.7.1, 2 instances");
        e.put("redis", "redis-server 6.2.6 (embedded-redis binary), no persistence, shared by both sides");
        e.put("serverCpus", pin ? serverCpus + " (chat, peer, redis, history, mongo stand-in: taskset)" : "not pinned");
        e.put("clientCpus", pin ? clientCpus + " (this harness and its worker processes: taskset)" : "not pinned");
        e.put("chatJvmFlags", jvmOpts);
        e.put("chatConfigOverrides", "chat.limits.frames-per-second=1000, frame-burst=2000, max-connections-per-user=1000, quarkus.log.level=WARN");
        e.put("peerNodeFlags", "--expose-gc " + nodeOpts);
        e.put("ulimitNofile", Procs.run("sh", "-c", "ulimit -n").trim());
        e.put("bodyBytes", bodyBytes);
        e.put("secondsPerRun", seconds + " measured + " + warmup + " warm-up + up to " + drain + " drain");
        e.put("rounds", rounds + " (ours, peer, ours, peer ...)");
        return e;
    }

    void write() throws Exception {
        results.put("table", table.stream().map(r -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("scenario", r[0]);
            m.put("metric", r[1]);
            m.put("chat-service", r[2]);
            m.put("socket.io peer", r[3]);
            m.put("ratio ours/peer", r[4]);
            m.put("better", r[5]);
            return m;
        }).toList());
        Path dir = resultsDir;
        String name = resultsName;
        json.writeValue(dir.resolve(name + ".json").toFile(), results);
        StringBuilder md = new StringBuilder();
        md.append("| scenario | metric | chat-service | Socket.IO peer | ours ÷ peer | better |\n|---|---|---|---|---|---|\n");
        for (String[] r : table) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append("\nEnvironment:\n\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) results.get("environment");
        env.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        Files.writeString(dir.resolve(name + ".md"), md.toString());
        System.out.println();
        System.out.println(md);
        log("results: " + dir.resolve(name + ".json") + ", " + dir.resolve(name + ".md"));
    }
}

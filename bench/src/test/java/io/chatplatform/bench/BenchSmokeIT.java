package io.chatplatform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A short smoke run of the benchmark (issue #7): the harness as a child JVM with tiny knobs (scenarios 1, 2, 5 and 6;
 * 20 and 100 idle connections; 1:1 and groups of 10 at 200 deliveries/s in 20 conversations for 2 s, one round;
 * 2,000 history messages; a reconnect storm of 20 clients through auth-service), its own folders under target/smoke (never bench/results/latest.*), no CPU pinning. Asserts only that
 * it runs and that everything arrives: both sides ran, every idle connection opened, every end-to-end message was
 * delivered on both sides, history acknowledged every backlog and live message and answered every page request, every storm client completed
 * its four steps without a 5xx other than 503.
 * Timings are not asserted. Without node (or npm, when bench/peer/node_modules is absent) on the PATH only
 * chat-service's side runs; the assertion messages and the test's output say so.
 */
class BenchSmokeIT {

    static final long TIMEOUT_SECONDS = 480;

    final Path module = Path.of(System.getProperty("bench.basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    final Path root = module.getParent();
    final Path smoke = module.resolve("target/smoke");

    @Test
    void smokeRunDeliversEverything() throws Exception {
        long t0 = System.nanoTime();
        Path classes = module.resolve("target/classes");
        Path classpathFile = module.resolve("target/classpath.txt");
        assertTrue(Files.isRegularFile(classpathFile), classpathFile + " missing: it is written at package (run ./mvnw verify)");
        for (String service : List.of("chat-service", "history-service", "auth-service")) {
            Path jar = root.resolve(service + "/target/quarkus-app/quarkus-run.jar");
            assertTrue(Files.isRegularFile(jar), jar + " missing: package the services first (./mvnw install -DskipTests,"
                    + " or ./mvnw verify from the repository root)");
        }

        deleteTree(smoke);
        Files.createDirectories(smoke);
        // copies, as bench/run.sh makes: a build elsewhere in the repository must not swap jars under the run
        Path apps = smoke.resolve("apps");
        for (String service : List.of("chat-service", "history-service", "auth-service")) {
            copyTree(root.resolve(service + "/target/quarkus-app"), apps.resolve(service));
        }

        String peerMissing = installPeer();
        boolean bothSides = peerMissing == null;

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                classes + File.pathSeparator + Files.readString(classpathFile).trim(), Bench.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(module.toFile()).redirectErrorStream(true)
                .redirectOutput(smoke.resolve("bench.log").toFile());
        Map<String, String> env = pb.environment();
        // none of the caller's knobs or store URLs (CI's second pass sets QUARKUS_REDIS_HOSTS, ...) reach the run
        env.keySet().removeIf(k -> k.startsWith("BENCH_") || k.startsWith("QUARKUS_"));
        env.putAll(Map.ofEntries(
                Map.entry("BENCH_ROOT", root.toString()),
                Map.entry("BENCH_WORK", smoke.resolve("run").toString()),
                Map.entry("BENCH_APPS", apps.toString()),
                Map.entry("BENCH_RESULTS_DIR", smoke.resolve("results").toString()),
                Map.entry("BENCH_RESULTS_NAME", "smoke"),
                Map.entry("BENCH_PIN", "0"),
                // chat's graceful shutdown (3 s readiness delay) only adds to the wall time here
                Map.entry("BENCH_JVM_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC -Dquarkus.shutdown.delay=0s -Dquarkus.shutdown.timeout=1s"),
                Map.entry("BENCH_SIDES", bothSides ? "ours,peer" : "ours"),
                Map.entry("BENCH_SCENARIOS", "1,2,5,6"),
                Map.entry("BENCH_IDLE_LEVELS", "20,100"),
                Map.entry("BENCH_E2E", "2@200,10@200"),
                // 20 conversations (40 or 200 connections) instead of 200 / 50: a cold chat-service accepts ~40/s
                Map.entry("BENCH_E2E_CONVERSATIONS", "20"),
                Map.entry("BENCH_ROUNDS", "1"),
                Map.entry("BENCH_SECONDS", "2"),
                Map.entry("BENCH_WARMUP", "1"),
                // the drain ends as soon as everything has arrived; the margin is for a busy CI machine
                Map.entry("BENCH_DRAIN", "10"),
                Map.entry("BENCH_JIT_WARMUP", "0"),
                Map.entry("BENCH_HISTORY_MESSAGES", "2000"),
                Map.entry("BENCH_HISTORY_RATE", "200"),
                Map.entry("BENCH_HISTORY_SECONDS", "2"),
                Map.entry("BENCH_HISTORY_INGEST_TIMEOUT", "120"),
                Map.entry("BENCH_PAGE_RATES", "20"),
                Map.entry("BENCH_SEARCH_MESSAGES", "1000"),
                Map.entry("BENCH_SEARCH_CONVERSATIONS", "50"),
                Map.entry("BENCH_SEARCH_REQUESTS", "5"),
                // 20 clients in 2 workers, 4 of them log in (bcrypt cost 12)
                Map.entry("BENCH_STORM_CLIENTS", "20"),
                Map.entry("BENCH_STORM_LOGIN_SHARE", "0.2"),
                Map.entry("BENCH_STORM_PER_WORKER", "10"),
                Map.entry("BENCH_STORM_WARMUP", "10"),
                Map.entry("BENCH_PAUSE_SCALE", "0.2")));
        Process bench = pb.start();
        try {
            if (!bench.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("the smoke run did not finish in " + TIMEOUT_SECONDS + " s; log " + smoke.resolve("bench.log") + ":\n" + tail());
            }
        } finally {
            if (bench.isAlive()) { // only what this test started: the harness and its children
                bench.descendants().forEach(ProcessHandle::destroyForcibly);
                bench.destroyForcibly();
            }
        }
        assertEquals(0, bench.exitValue(), "the smoke run failed; log " + smoke.resolve("bench.log") + ":\n" + tail());
        Path resultsFile = smoke.resolve("results/smoke.json");
        assertTrue(Files.isRegularFile(resultsFile), resultsFile + " not written:\n" + tail());
        JsonNode results = new ObjectMapper().readTree(resultsFile.toFile());

        List<String> sides = bothSides ? List.of("chat-service", "socket.io") : List.of("chat-service");
        String because = bothSides ? "" : " (only chat-service's side ran: " + peerMissing + ")";

        // scenario 1: every idle connection opened
        JsonNode idle = results.path("idleConnections");
        for (String side : sides) {
            JsonNode levels = idle.path(side).path("levels");
            assertEquals(2, levels.size(), "idle levels of " + side + because + ": " + idle);
            for (JsonNode level : levels) {
                assertEquals(level.path("target").asInt(), level.path("open").asInt(), side + " idle " + level + because);
                assertEquals(0, level.path("failed").asLong(-1), side + " idle " + level + because);
            }
        }

        // scenario 2: every end-to-end message delivered, on both sides
        JsonNode latency = results.path("latency");
        assertEquals(2, latency.size(), "e2e runs: " + latency.fieldNames());
        for (var run : (Iterable<Map.Entry<String, JsonNode>>) latency::fields) {
            for (String side : sides) {
                JsonNode rounds = run.getValue().path(side);
                assertEquals(1, rounds.size(), run.getKey() + ": no run of " + side + because);
                for (JsonNode r : rounds) {
                    long expected = r.path("expectedDeliveries").asLong();
                    assertTrue(expected > 0, run.getKey() + " " + side + ": nothing sent " + r);
                    assertEquals(expected, r.path("deliveries").asLong(), run.getKey() + " " + side + ": not every message arrived " + r + because);
                    assertEquals(0, r.path("closedConnections").asLong(-1), run.getKey() + " " + side + ": connections closed " + r);
                }
            }
        }
        assertEquals(bothSides, results.path("environment").has("peerPids"), "the peer runs exactly when both sides do");

        // scenario 5: history stored the backlog and the live messages, and answered the pages
        JsonNode history = results.path("history");
        assertEquals(2000, history.path("backlogMessages").asInt(), "history: " + history);
        assertTrue(history.path("backlogAllAcknowledged").asBoolean(), "history did not ingest the backlog: " + history);
        JsonNode live = history.path("liveDelivery");
        assertTrue(live.path("expectedDeliveries").asLong() > 0, "history live phase sent nothing: " + live);
        assertEquals(live.path("expectedDeliveries").asLong(), live.path("deliveries").asLong(), "history live phase: " + live);
        assertTrue(history.path("liveAllAcknowledged").asBoolean(), "history did not store the live messages: " + history);
        JsonNode pages = history.path("pages");
        assertEquals(1, pages.size(), "history pages: " + history);
        for (JsonNode p : pages) {
            assertTrue(p.path("requests").asLong() > 0, "no page requests: " + p);
            assertEquals(p.path("requests").asLong(), p.path("ok").asLong(), "failed page requests: " + p);
        }
        // and every search found its messages: 1,000 messages, 10 with "needle", 100 with "lunch", all with "status"
        JsonNode searches = history.path("search").path("queries");
        assertEquals(4, searches.size(), "search: " + history.path("search"));
        for (JsonNode q : searches) {
            assertEquals(5, q.path("ok").asLong(), "failed search requests: " + q);
            assertEquals(q.path("query").asText().equals("needle") || q.path("query").asText().equals("世界和平") ? 10 : 20,
                    q.path("firstPageHits").asInt(), "hits of the first page: " + q);
        }

        // scenario 6: every storm client logged in or re-validated, took a ticket, reconnected and synced; no 5xx but 503
        JsonNode storm = results.path("reconnectStorm").path("runs");
        assertEquals(1, storm.size(), "storm runs: " + results.path("reconnectStorm"));
        JsonNode run = storm.get(0);
        assertEquals(20, run.path("completed").asInt(), "storm: " + run);
        assertEquals(0, run.path("failed").asInt(-1), "storm: " + run);
        assertEquals(4, run.path("loginClients").asInt(), "storm: " + run);
        assertEquals(0, run.path("serverErrorsNot503").asInt(-1), "storm: " + run);
        assertEquals(0, run.path("503WithoutRetryAfter").asInt(-1), "storm: " + run);
        for (String step : List.of("login", "validate", "ticket", "connect", "sync")) {
            assertTrue(run.path("steps").path(step).path("count").asLong() > 0, "storm step " + step + ": " + run);
        }
        assertEquals(20, run.path("steps").path("sync").path("count").asLong(), "storm: " + run);

        System.out.printf("bench smoke run passed in %.0f s (%s); %s%n", (System.nanoTime() - t0) / 1e9,
                bothSides ? "chat-service and the Socket.IO peer" : "ONLY chat-service: " + peerMissing, resultsFile);
    }

    /** Installs the Socket.IO peer's packages when missing; returns why the peer cannot run, or null. */
    String installPeer() throws Exception {
        if (!Bench.onPath("node")) {
            return "node is not on the PATH";
        }
        Path peer = root.resolve("bench/peer");
        if (Files.isRegularFile(peer.resolve("node_modules/socket.io/package.json"))
                && Files.isRegularFile(peer.resolve("node_modules/@socket.io/redis-streams-adapter/package.json"))) {
            return null;
        }
        if (!Bench.onPath("npm")) {
            return "npm is not on the PATH (and bench/peer/node_modules is not installed)";
        }
        Path log = smoke.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund").directory(peer.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(300, TimeUnit.SECONDS)) {
            npm.destroyForcibly();
            fail("npm ci in bench/peer did not finish in 300 s:\n" + Files.readString(log));
        }
        assertEquals(0, npm.exitValue(), "npm ci in bench/peer failed:\n" + Files.readString(log));
        return null;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(smoke.resolve("bench.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(f);
            }
        }
    }
}

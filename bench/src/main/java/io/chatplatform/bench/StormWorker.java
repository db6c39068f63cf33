package io.chatplatform.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * One process of the reconnect storm (scenario 6): its share of the clients, which at the harness's {@code GO} each
 * (1) log in with the password or re-validate the access token they hold ({@code GET /auth/me}), (2) take a WebSocket
 * ticket, (3) open {@code /ws?ticket=} on chat-service, (4) sync their conversation with {@code GET
 * /history/conversations/{conv}/messages?after=}. 503 and 429 are retried with jittered exponential back-off that
 * honours {@code Retry-After}: the n-th retry waits max(Retry-After, min({@link #MAX_BACKOFF_SECONDS}, 2^(n-1))) seconds
 * × a random factor in [1, 2), at most {@link #MAX_ATTEMPTS} tries a step; a refused upgrade takes a new ticket (the
 * refused one may be spent). Every other non-2xx answer, and a transport failure that persists, fails the
 * client.
 *
 * <p>Args: authPort chatPort historyPort localAddress clientsFile password. Clients file: one line per client,
 * {@code L|V uid username token conv after}. Prints {@code READY} once set up, waits for {@code GO} on stdin, prints
 * {@code DONE <json>} when every client has finished (or failed), holds the WebSockets until stdin closes.
 */
public final class StormWorker {

    static final int MAX_ATTEMPTS = 40;
    static final long MAX_BACKOFF_SECONDS = 16;
    static final String[] STEPS = {"login", "validate", "ticket", "connect", "sync", "total"};

    record Client(boolean login, long uid, String username, String token, String conv, long after) {
    }

    final Vertx vertx;
    final HttpClient auth;
    final HttpClient history;
    final WebSocketClient ws;
    final int chatPort;
    final String password;
    final Map<String, Histogram> micros = new LinkedHashMap<>();
    /** "step status" → answers (every attempt, 2xx included); "step io" for transport failures. */
    final Map<String, Integer> statuses = new TreeMap<>();
    final List<WebSocket> open = new ArrayList<>();
    int completed;
    int failed;
    int retries;
    int retryAfterMissing;
    String firstError;
    long goNanos;
    long lastDoneNanos;
    /** When the last client that re-validates its held token (no bcrypt) completed. */
    long lastValidateDoneNanos;

    StormWorker(int authPort, int chatPort, int historyPort, String local, int clients, String password) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(60_000));
        // one connection per client at most, as real clients have: the pool does not serialize the storm
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(Math.max(1, clients)).setMaxWaitQueueSize(-1);
        this.auth = vertx.createHttpClient(options(authPort, local), pool);
        this.history = vertx.createHttpClient(options(historyPort, local), pool);
        this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setLocalAddress(local).setConnectTimeout(60_000).setIdleTimeout(0));
        this.chatPort = chatPort;
        this.password = password;
        for (String step : STEPS) {
            micros.put(step, new Histogram(3_600_000_000L, 3));
        }
    }

    static HttpClientOptions options(int port, String local) {
        return new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true)
                .setLocalAddress(local).setConnectTimeout(60_000).setIdleTimeout(0);
    }

    public static void main(String[] args) throws Exception {
        List<Client> clients = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[4]))) {
            String[] f = line.split(" ");
            clients.add(new Client(f[0].equals("L"), Long.parseLong(f[1]), f[2], f[3], f[4], Long.parseLong(f[5])));
        }
        StormWorker worker = new StormWorker(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                args[3], clients.size(), args[5]);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("READY " + clients.size());
        System.out.flush();
        String go = stdin.readLine();
        if (!"GO".equals(go)) {
            System.exit(2);
        }
        Promise<Void> done = Promise.promise();
        worker.vertx.runOnContext(v -> worker.start(clients, done));
        done.future().toCompletionStage().toCompletableFuture().get();
        System.out.println("DONE " + worker.report().encode());
        System.out.flush();
        while (stdin.read() >= 0) {
            // hold the connections until the harness closes stdin
        }
        System.exit(0);
    }

    void start(List<Client> clients, Promise<Void> done) {
        goNanos = System.nanoTime();
        int[] left = {clients.size()};
        if (clients.isEmpty()) {
            done.complete();
        }
        for (Client c : clients) {
            run(c).onComplete(ar -> {
                if (ar.succeeded()) {
                    completed++;
                    if (!c.login()) {
                        lastValidateDoneNanos = System.nanoTime();
                    }
                    micros.get("total").recordValue(Math.min(3_600_000_000L, (System.nanoTime() - goNanos) / 1000));
                } else {
                    failed++;
                    if (firstError == null) {
                        firstError = c.uid() + ": " + ar.cause().getMessage();
                    }
                }
                lastDoneNanos = System.nanoTime();
                if (--left[0] == 0) {
                    done.complete();
                }
            });
        }
    }

    Future<Void> run(Client c) {
        Future<String> token = c.login()
                ? step("login", () -> request(auth, HttpMethod.POST, "/auth/login", null,
                        new JsonObject().put("username", c.username()).put("password", password).put("deviceId", "storm").toBuffer()))
                        .map(body -> new JsonObject(body).getString("accessToken"))
                : step("validate", () -> request(auth, HttpMethod.GET, "/auth/me", c.token(), null)).map(body -> c.token());
        return token.compose(t -> connect(t, 1, 0).compose(socket -> {
            open.add(socket);
            return step("sync", () -> request(history, HttpMethod.GET, "/history/conversations/" + c.conv()
                    + "/messages?after=" + c.after() + "&limit=50", t, null));
        })).mapEmpty();
    }

    /** Ticket + upgrade; a refused upgrade (503/429) takes a new ticket after the back-off. Connect time spans every try. */
    Future<WebSocket> connect(String token, int attempt, long firstTry) {
        return step("ticket", () -> request(auth, HttpMethod.POST, "/auth/ws-ticket", token, Buffer.buffer("{}")))
                .map(body -> new JsonObject(body).getString("ticket"))
                .compose(ticket -> {
                    long t0 = attempt == 1 ? System.nanoTime() : firstTry;
                    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(chatPort)
                            .setURI("/ws?ticket=" + ticket);
                    return ws.connect(options).recover(e -> {
                        int status = e instanceof UpgradeRejectedException r ? r.getStatus() : -1;
                        count("connect", status);
                        if ((status == 503 || status == 429) && attempt < MAX_ATTEMPTS) {
                            String ra = e instanceof UpgradeRejectedException r && r.getHeaders() != null
                                    ? r.getHeaders().get("Retry-After") : null;
                            return later(ra, status, attempt).compose(v -> connect(token, attempt + 1, t0));
                        }
                        if (status < 0 && attempt < 5) { // transport: reset/refused under the burst
                            return later(null, 0, attempt).compose(v -> connect(token, attempt + 1, t0));
                        }
                        return Future.failedFuture("connect: " + (status < 0 ? e.toString() : "HTTP " + status));
                    }).map(socket -> {
                        count("connect", 101);
                        micros.get("connect").recordValue(Math.min(3_600_000_000L, (System.nanoTime() - t0) / 1000));
                        return socket;
                    });
                });
    }

    interface Attempt {
        Future<Answer> send();
    }

    record Answer(int status, String retryAfter, String body) {
    }

    /** Repeats one REST step on 503/429 (after Retry-After with jitter) and on a transport failure (a few times). */
    Future<String> step(String name, Attempt attempt) {
        long t0 = System.nanoTime();
        return attempt(name, attempt, 1).map(body -> {
            micros.get(name).recordValue(Math.min(3_600_000_000L, (System.nanoTime() - t0) / 1000));
            return body;
        });
    }

    Future<String> attempt(String name, Attempt attempt, int n) {
        return attempt.send().transform(ar -> {
            if (ar.failed()) {
                count(name, -1);
                if (n < 5) {
                    return later(null, 0, n).compose(v -> attempt(name, attempt, n + 1));
                }
                return Future.failedFuture(name + ": " + ar.cause());
            }
            Answer a = ar.result();
            count(name, a.status());
            if (a.status() >= 200 && a.status() < 300) {
                return Future.succeededFuture(a.body());
            }
            if ((a.status() == 503 || a.status() == 429) && n < MAX_ATTEMPTS) {
                return later(a.retryAfter(), a.status(), n).compose(v -> attempt(name, attempt, n + 1));
            }
            return Future.failedFuture(name + ": HTTP " + a.status() + " " + a.body());
        });
    }

    /**
     * Waits before retry number {@code n}: max(Retry-After, min(MAX_BACKOFF_SECONDS, 2^(n-1))) seconds × [1, 2). The
     * jitter spreads a storm's retries; the growth keeps thousands of clients from hammering a saturated service at
     * its Retry-After pace.
     */
    Future<Void> later(String retryAfter, int status, int n) {
        retries++;
        long seconds = 1;
        if (retryAfter != null) {
            try {
                seconds = Math.max(1, Long.parseLong(retryAfter.trim()));
            } catch (NumberFormatException ignored) {
                // not a number of seconds: keep 1
            }
        } else if (status == 503) {
            retryAfterMissing++; // the contract says a 503 carries Retry-After
        }
        long backoff = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(10, Math.max(0, n - 1)));
        long delayMs = (long) (Math.max(seconds, backoff) * 1000 * (1 + ThreadLocalRandom.current().nextDouble()));
        Promise<Void> p = Promise.promise();
        vertx.setTimer(delayMs, id -> p.complete());
        return p.future();
    }

    Future<Answer> request(HttpClient client, HttpMethod method, String uri, String token, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setURI(uri).setTimeout(120_000);
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        if (body != null) {
            options.addHeader("Content-Type", "application/json");
        }
        return client.request(options)
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Retry-After"), b.toString())));
    }

    void count(String step, int status) {
        statuses.merge(step + " " + (status < 0 ? "io" : Integer.toString(status)), 1, Integer::sum);
    }

    JsonObject report() {
        JsonObject steps = new JsonObject();
        micros.forEach((name, h) -> {
            ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            int size = h.encodeIntoCompressedByteBuffer(buffer);
            steps.put(name, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), size)));
        });
        JsonObject status = new JsonObject();
        statuses.forEach(status::put);
        return new JsonObject().put("completed", completed).put("failed", failed).put("retries", retries)
                .put("retryAfterMissing", retryAfterMissing)
                .put("elapsedMs", (lastDoneNanos - goNanos) / 1_000_000.0)
                .put("validateElapsedMs", lastValidateDoneNanos == 0 ? 0 : (lastValidateDoneNanos - goNanos) / 1_000_000.0).put("steps", steps).put("statuses", status)
                .put("firstError", firstError);
    }
}

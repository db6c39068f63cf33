package io.chatplatform.bench;

import io.chatplatform.localstack.RespClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One open-loop end-to-end run: senders on one instance, their recipients on the other (pairs alternate, so
 * both instances send and receive). Messages leave on a fixed schedule (k / rate); latency is measured from
 * each message's intended send time, carried in its body, to its arrival at a recipient: a server (or this
 * client) falling behind shows up as latency, never as a slower schedule (no coordinated omission).
 */
final class LoadRun {

    record Spec(Side side, int[] ports, int groupSize, int conversations, double deliveriesPerSecond,
            int warmupSeconds, int seconds, int drainSeconds, int bodyBytes) {
        double sendsPerSecond() {
            return deliveriesPerSecond / (groupSize - 1);
        }

        int usersNeeded() {
            return conversations * groupSize;
        }

        String mode() {
            return groupSize == 2 ? "1:1" : "group of " + groupSize;
        }
    }

    static final class Result {
        Spec spec;
        long sent;
        long measuredSent;
        long expected;
        long received;
        long errors;
        long closed;
        double seconds;
        Histogram latencyMicros = new Histogram(60_000_000L, 3);
        double serverCpuSeconds;
        double redisCpuSeconds;
        double clientCpuSeconds;

        double deliveryRatio() {
            return expected == 0 ? 0 : (double) received / expected;
        }

        double deliveredPerSecond() {
            return received / seconds;
        }

        double ms(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMs() {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
        }

        double cpuPer1000() {
            return received == 0 ? Double.NaN : serverCpuSeconds / (received / 1000.0);
        }

        double cpuPer1000WithRedis() {
            return received == 0 ? Double.NaN : (serverCpuSeconds + redisCpuSeconds) / (received / 1000.0);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("side", spec.side().label);
            m.put("mode", spec.mode());
            m.put("targetDeliveriesPerSecond", spec.deliveriesPerSecond());
            m.put("sendsPerSecond", spec.sendsPerSecond());
            m.put("conversations", spec.conversations());
            m.put("measuredSeconds", seconds);
            m.put("sent", sent);
            m.put("expectedDeliveries", expected);
            m.put("deliveries", received);
            m.put("deliveryRatio", deliveryRatio());
            m.put("deliveredPerSecond", deliveredPerSecond());
            m.put("p50ms", ms(50));
            m.put("p99ms", ms(99));
            m.put("p999ms", ms(99.9));
            m.put("maxMs", maxMs());
            m.put("errors", errors);
            m.put("closedConnections", closed);
            m.put("serverCpuSeconds", serverCpuSeconds);
            m.put("redisCpuSeconds", redisCpuSeconds);
            m.put("clientCpuSeconds", clientCpuSeconds);
            m.put("serverCpuSecondsPer1000Deliveries", cpuPer1000());
            m.put("serverPlusRedisCpuSecondsPer1000Deliveries", cpuPer1000WithRedis());
            return m;
        }
    }

    /** CPU counters read at the start and end of the measured window. */
    interface CpuProbe {
        double[] read(); // {servers, redis, client}
    }

    private final Vertx vertx;
    private final WebSocketClient client;

    LoadRun(Vertx vertx, WebSocketClient client) {
        this.vertx = vertx;
        this.client = client;
    }

    Result run(Spec spec, List<Users.User> users, RespClient redis, long gidBase, CpuProbe cpu) throws Exception {
        int g = spec.groupSize();
        int convs = spec.conversations();
        Result r = new Result();
        r.spec = spec;
        long measureStart;
        // conversations: members [k*g, (k+1)*g); member 0 sends, on instance k%2; the others are on the other one
        String[] targets = new String[convs];
        List<List<Users.User>> groups = new ArrayList<>();
        for (int k = 0; k < convs; k++) {
            List<Users.User> members = users.subList(k * g, (k + 1) * g);
            groups.add(members);
            if (g == 2) {
                targets[k] = "{\"user\":" + members.get(1).uid() + "}";
            } else {
                Users.group(redis, gidBase + k, members);
                targets[k] = "\"g." + (gidBase + k) + "\"";
            }
        }
        long[] counters = new long[4]; // received(measured), errors, closed, acks
        long[] window = new long[1];
        WebSocket[] senders = new WebSocket[convs];
        List<WebSocket> all = new ArrayList<>();
        List<Future<WebSocket>> opening = new ArrayList<>();
        CompletableFuture<Void> allOpen = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            for (int k = 0; k < convs; k++) {
                int sendInstance = k % 2;
                for (int m = 0; m < g; m++) {
                    Users.User u = groups.get(k).get(m);
                    int port = spec.ports()[m == 0 ? sendInstance : 1 - sendInstance];
                    int conv = k;
                    boolean sender = m == 0;
                    Future<WebSocket> f = spec.side().open(client, port, u.token(), text -> {
                        Side.Kind kind = spec.side().kind(text);
                        if (kind == Side.Kind.MESSAGE) {
                            long t = Side.intendedTime(text);
                            if (t >= window[0] && window[0] != 0) {
                                long lat = (System.nanoTime() - t) / 1000;
                                r.latencyMicros.recordValue(Math.max(0, Math.min(lat, 60_000_000L)));
                                counters[0]++;
                            }
                        } else if (kind == Side.Kind.ERROR) {
                            if (counters[1]++ < 3) {
                                System.err.println("  error frame: " + text);
                            }
                        }
                    });
                    f.onSuccess(ws -> {
                        all.add(ws);
                        ws.closeHandler(x -> counters[2]++);
                        if (sender) {
                            senders[conv] = ws;
                        }
                    });
                    opening.add(f);
                }
            }
            Future.join(new ArrayList<>(opening)).onComplete(ar -> allOpen.complete(null));
        });
        allOpen.get(120, TimeUnit.SECONDS);
        long failed = opening.stream().filter(Future::failed).count();
        if (failed > 0) {
            Throwable cause = opening.stream().filter(Future::failed).findFirst().get().cause();
            closeAll(all);
            throw new IllegalStateException(failed + " of " + opening.size() + " connections failed: " + cause);
        }
        Thread.sleep(500);

        double rate = spec.sendsPerSecond();
        long total = (long) (rate * (spec.warmupSeconds() + spec.seconds()));
        long start = System.nanoTime() + 20_000_000L;
        measureStart = start + spec.warmupSeconds() * 1_000_000_000L;
        window[0] = measureStart;
        long[] sent = new long[1];
        long[] measuredSent = new long[1];
        String bodyPad = Side.body(0, spec.bodyBytes());
        double[][] cpuMarks = new double[2][];
        CompletableFuture<Void> sendingDone = new CompletableFuture<>();
        long idBase = System.nanoTime() % 1_000_000_000L * 1000;
        long[] timer = new long[1];
        vertx.runOnContext(v -> timer[0] = vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            if (now < start) {
                return;
            }
            long due = Math.min(total, (long) ((now - start) * rate / 1e9) + 1);
            while (sent[0] < due) {
                long k = sent[0]++;
                long intended = start + (long) (k * 1e9 / rate);
                if (intended >= measureStart) {
                    if (cpuMarks[0] == null) {
                        cpuMarks[0] = cpu.read();
                    }
                    measuredSent[0]++;
                }
                int conv = (int) (k % convs);
                WebSocket ws = senders[conv];
                if (!ws.isClosed()) {
                    ws.writeTextMessage(spec.side().sendFrame(idBase + k, targets[conv], Side.body(intended, bodyPad.length())));
                }
            }
            if (sent[0] >= total) {
                vertx.cancelTimer(timer[0]);
                sendingDone.complete(null);
            }
        }));
        sendingDone.get(spec.warmupSeconds() + spec.seconds() + 60, TimeUnit.SECONDS);
        long expected = measuredSent[0] * (g - 1);
        long drainDeadline = System.nanoTime() + spec.drainSeconds() * 1_000_000_000L;
        while (System.nanoTime() < drainDeadline) {
            long[] got = new long[1];
            CompletableFuture<Void> read = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                got[0] = counters[0];
                read.complete(null);
            });
            read.get();
            if (got[0] >= expected) {
                break;
            }
            Thread.sleep(20);
        }
        CompletableFuture<Void> fin = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            cpuMarks[1] = cpu.read();
            r.received = counters[0];
            r.errors = counters[1];
            r.closed = counters[2];
            fin.complete(null);
        });
        fin.get();
        r.sent = sent[0];
        r.measuredSent = measuredSent[0];
        r.expected = expected;
        r.seconds = spec.seconds();
        if (cpuMarks[0] != null) {
            r.serverCpuSeconds = cpuMarks[1][0] - cpuMarks[0][0];
            r.redisCpuSeconds = cpuMarks[1][1] - cpuMarks[0][1];
            r.clientCpuSeconds = cpuMarks[1][2] - cpuMarks[0][2];
        }
        closeAll(all);
        if (g > 2) {
            for (int k = 0; k < convs; k++) {
                Users.ungroup(redis, gidBase + k, groups.get(k));
            }
        }
        Thread.sleep(1000); // let the servers see the closes before the next run
        return r;
    }

    private void closeAll(List<WebSocket> all) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            List<Future<Void>> closes = new ArrayList<>();
            for (WebSocket ws : all) {
                ws.closeHandler(null);
                closes.add(ws.close());
            }
            Future.join(new ArrayList<>(closes)).onComplete(x -> done.complete(null));
        });
        try {
            done.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
    }
}

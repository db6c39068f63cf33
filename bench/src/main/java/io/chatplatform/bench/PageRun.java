package io.chatplatform.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Open-loop page requests ({@code ?before=S&limit=50} at random S) against history-service. */
final class PageRun {
    static final class Result {
        long requests;
        long ok;
        int rate;
        Histogram micros = new Histogram(60_000_000L, 3);

        double ms(double p) {
            return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(p) / 1000.0;
        }

        double maxMs() {
            return micros.getTotalCount() == 0 ? Double.NaN : micros.getMaxValue() / 1000.0;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ratePerSecond", rate);
            m.put("requests", requests);
            m.put("ok", ok);
            m.put("p50ms", ms(50));
            m.put("p99ms", ms(99));
            m.put("p999ms", ms(99.9));
            m.put("maxMs", maxMs());
            return m;
        }
    }

    private final Vertx vertx;

    PageRun(Vertx vertx) {
        this.vertx = vertx;
    }

    Result run(int port, Users users, List<String> convs, int perConv, int rate, int warmupSeconds, int seconds) throws Exception {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
        Result r = new Result();
        r.rate = rate;
        long total = (long) rate * (warmupSeconds + seconds);
        long start = System.nanoTime() + 20_000_000L;
        long measureStart = start + warmupSeconds * 1_000_000_000L;
        long[] sent = {0};
        long[] finished = {0};
        SplittableRandom random = new SplittableRandom(42);
        CompletableFuture<Void> done = new CompletableFuture<>();
        long[] timer = new long[1];
        vertx.runOnContext(v -> timer[0] = vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            long due = Math.min(total, Math.max(0, (long) ((now - start) * (double) rate / 1e9) + 1));
            while (sent[0] < due) {
                long k = sent[0]++;
                long intended = start + (long) (k * 1e9 / rate);
                boolean measured = intended >= measureStart;
                int c = random.nextInt(convs.size());
                int before = 51 + random.nextInt(perConv - 50);
                String token = users.get(2 * c).token();
                RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET)
                        .setURI("/history/conversations/" + convs.get(c) + "/messages?before=" + before + "&limit=50")
                        .addHeader("Authorization", "Bearer " + token);
                http.request(req).compose(rq -> rq.send()).compose(resp -> resp.body().map(b -> resp.statusCode()))
                        .onComplete(ar -> {
                            if (measured) {
                                r.requests++;
                                if (ar.succeeded() && ar.result() == 200) {
                                    r.ok++;
                                }
                                r.micros.recordValue(Math.min(60_000_000L, (System.nanoTime() - intended) / 1000));
                            }
                            if (++finished[0] == total) {
                                done.complete(null);
                            }
                        });
            }
            if (sent[0] >= total) {
                vertx.cancelTimer(timer[0]);
            }
        }));
        try {
            done.get(warmupSeconds + seconds + 60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // report what finished
        }
        http.close();
        return r;
    }
}

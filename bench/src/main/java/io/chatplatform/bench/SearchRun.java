package io.chatplatform.bench;

import io.chatplatform.localstack.RespClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Search latency (part of scenario 5): one user with {@code conversations} direct conversations gets
 * {@code messages} more messages spread over them (1 in 100 carries "needle 世界和平", 1 in 10 "lunch", every one
 * "status"), written to the log as chat writes them and ingested by history; then each query runs one request at a
 * time ({@code requests} measured after {@code warmup}) and its latency is recorded.
 */
final class SearchRun {

    record Query(String label, String q) {
    }

    static final List<Query> QUERIES = List.of(
            new Query("rare word (1 in 100 messages)", "needle"),
            new Query("Chinese bigrams (1 in 100)", "世界和平"),
            new Query("common word (1 in 10)", "lunch"),
            new Query("word in every message", "status"));

    static final class Result {
        final Query query;
        long requests;
        long ok;
        int firstPageHits;
        final Histogram micros = new Histogram(60_000_000L, 3);

        Result(Query query) {
            this.query = query;
        }

        double ms(double p) {
            return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(p) / 1000.0;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("query", query.q());
            m.put("label", query.label());
            m.put("requests", requests);
            m.put("ok", ok);
            m.put("firstPageHits", firstPageHits);
            m.put("p50ms", ms(50));
            m.put("p99ms", ms(99));
            m.put("maxMs", micros.getTotalCount() == 0 ? Double.NaN : micros.getMaxValue() / 1000.0);
            return m;
        }
    }

    private SearchRun() {
    }

    /** Appends the messages to the log; returns nothing until Redis has them all. */
    static void seed(RespClient redis, Users.User searcher, int conversations, int messages, int partitions) throws Exception {
        long ts = System.currentTimeMillis() - 10L * messages;
        long[] seqs = new long[conversations];
        List<String> convs = new ArrayList<>(conversations);
        for (int c = 0; c < conversations; c++) {
            long partner = 900_000_000L + c;
            convs.add("d." + Math.min(searcher.uid(), partner) + "." + Math.max(searcher.uid(), partner));
        }
        for (int i = 0; i < messages; i++) {
            int c = i % conversations;
            String conv = convs.get(c);
            long seq = ++seqs[c];
            long partner = 900_000_000L + c;
            String body = "status update " + i + " for the weekly report"
                    + (i % 10 == 3 ? ", lunch at noon" : "") + (i % 100 == 7 ? ", needle 世界和平" : "");
            String event = "{\"v\":1,\"type\":\"message\",\"msgId\":\"search-" + conv + "-" + seq + "\",\"conv\":\"" + conv
                    + "\",\"seq\":" + seq + ",\"from\":" + (i % 2 == 0 ? searcher.uid() : partner) + ",\"fromDevice\":\"bench\","
                    + "\"senderType\":\"USER\",\"kind\":\"text\",\"body\":\"" + body + "\",\"ts\":" + (ts + 10L * i)
                    + ",\"members\":[" + searcher.uid() + "," + partner + "]}";
            redis.queue("XADD", "chat:log:{" + Bench.partition(conv, partitions) + "}", "*", "e", event);
            if (i % 1000 == 999) {
                redis.flush();
            }
        }
        redis.flush();
    }

    static List<Result> measure(int port, Users.User searcher, int warmup, int requests) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Result> results = new ArrayList<>();
        for (Query query : QUERIES) {
            Result r = new Result(query);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/history/search?limit=20&q="
                            + URLEncoder.encode(query.q(), StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + searcher.token()).timeout(Duration.ofSeconds(60)).GET().build();
            for (int i = 0; i < warmup + requests; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long micros = (System.nanoTime() - start) / 1000;
                if (i < warmup) {
                    continue;
                }
                r.requests++;
                if (response.statusCode() == 200) {
                    r.ok++;
                    if (r.firstPageHits == 0) {
                        r.firstPageHits = count(response.body(), "\"msgId\"");
                    }
                }
                r.micros.recordValue(Math.min(60_000_000L, micros));
            }
            results.add(r);
        }
        return results;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}

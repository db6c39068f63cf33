package io.chatplatform.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client process holding idle authenticated connections (one process stays under the 20,000 open-file limit).
 * Args: side port localAddress tokensFile maxInFlight. Prints {@code READY ok=.. failed=.. ms=..} when every
 * handshake has finished, then {@code CLOSED n} lines if the server drops any; exits when stdin closes.
 */
public final class IdleWorker {
    public static void main(String[] args) throws Exception {
        Side side = Side.valueOf(args[0]);
        int port = Integer.parseInt(args[1]);
        String local = args[2];
        List<String> tokens = Files.readAllLines(Path.of(args[3]));
        int maxInFlight = Integer.parseInt(args[4]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(60_000));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setLocalAddress(local).setConnectTimeout(30_000).setIdleTimeout(0));
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        Object done = new Object();
        String[] firstError = new String[1];
        Runnable[] launch = new Runnable[1];
        launch[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= tokens.size()) {
                return;
            }
            side.open(client, port, tokens.get(i), text -> { }).onComplete(ar -> {
                if (ar.succeeded()) {
                    ok.incrementAndGet();
                    ar.result().closeHandler(v -> closed.incrementAndGet());
                } else {
                    if (firstError[0] == null) {
                        firstError[0] = String.valueOf(ar.cause());
                    }
                    failed.incrementAndGet();
                }
                if (ok.get() + failed.get() == tokens.size()) {
                    synchronized (done) {
                        done.notifyAll();
                    }
                } else {
                    launch[0].run();
                }
            });
        };
        vertx.runOnContext(v -> {
            for (int i = 0; i < maxInFlight; i++) {
                launch[0].run();
            }
        });
        synchronized (done) {
            while (ok.get() + failed.get() < tokens.size()) {
                done.wait(1000);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("READY ok=" + ok.get() + " failed=" + failed.get() + " ms=" + ms
                + (firstError[0] != null ? " error=" + firstError[0].replace('\n', ' ') : ""));
        System.out.flush();
        Thread watcher = new Thread(() -> {
            int last = 0;
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                if (closed.get() != last) {
                    last = closed.get();
                    System.out.println("CLOSED " + last);
                    System.out.flush();
                }
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        while (System.in.read() >= 0) {
            // hold until the harness closes stdin
        }
        System.exit(0);
    }
}

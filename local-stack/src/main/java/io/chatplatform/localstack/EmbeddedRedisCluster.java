package io.chatplatform.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * A real Redis Cluster of three primaries (no replicas): three redis-server processes (the same binary as
 * {@link EmbeddedRedis}: see {@link Binaries#redisServer()}) with {@code cluster-enabled yes} on free ports of 127.0.0.1,
 * no persistence, each
 * with its {@code nodes.conf} in a throwaway folder. The 16384 slots are split evenly over the three.
 *
 * <pre>{@code
 * try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
 *     cluster.hosts();   // redis://127.0.0.1:p1,redis://127.0.0.1:p2,redis://127.0.0.1:p3 (quarkus.redis.hosts)
 *     cluster.stop();    // every process ends, data is gone
 *     cluster.restart(); // same ports, empty data; nodes.conf kept, so each node rejoins with its slots
 * }
 * }</pre>
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

    public static final int SLOTS = 16384;
    private static final int PRIMARIES = 3;
    /** The cluster bus listens on the client port + 10000. */
    private static final int BUS_OFFSET = 10000;
    private static final int ADDSLOTS_CHUNK = 1000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOG = Logger.getLogger(EmbeddedRedisCluster.class.getName());

    private final Path binary;
    private final Path dir;
    private final List<Integer> ports;
    private final List<Process> processes = new ArrayList<>();

    private EmbeddedRedisCluster(Path binary, Path dir, List<Integer> ports) {
        this.binary = binary;
        this.dir = dir;
        this.ports = List.copyOf(ports);
    }

    /** Starts three primaries, assigns the slots, joins them and waits until every node serves the same slot map. */
    public static EmbeddedRedisCluster start() {
        Path dir = ScratchDirs.create("redis-cluster");
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(Binaries.redisServer(), dir, clusterPorts(PRIMARIES));
        try {
            cluster.launchAll();
            cluster.assignSlotsAndMeet();
            cluster.awaitHealthy();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("Redis Cluster started on " + cluster.nodes() + " (3 primaries, no persistence, " + dir + ")");
        return cluster;
    }

    /** The client ports of the three primaries. */
    public List<Integer> ports() {
        return ports;
    }

    /** {@code 127.0.0.1:<port>} of each node. */
    public List<String> nodes() {
        return ports.stream().map(port -> Ports.HOST + ":" + port).toList();
    }

    /** {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,redis://127.0.0.1:p3}, the value for {@code quarkus.redis.hosts}. */
    public String hosts() {
        return String.join(",", ports.stream().map(port -> "redis://" + Ports.HOST + ":" + port).toList());
    }

    /** The folder holding one sub-folder per node (nodes.conf, pid file, log). */
    public Path dir() {
        return dir;
    }

    public synchronized boolean isRunning() {
        return !processes.isEmpty() && processes.stream().allMatch(Process::isAlive);
    }

    /** Pids of the running node processes. */
    public synchronized List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** Stops every node (data is lost: there is no persistence); nodes.conf stays for {@link #restart()}. */
    public synchronized void stop() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            Processes.terminate(process.toHandle(), STOP_TIMEOUT);
        }
        processes.clear();
    }

    /**
     * Starts the stopped nodes again on the same ports with empty data. Each keeps its nodes.conf (node id, slots,
     * peers), so the cluster re-forms by itself; returns once every node reports {@code cluster_state:ok} again.
     */
    public synchronized void restart() {
        stop();
        launchAll();
        awaitHealthy();
        LOG.info("Redis Cluster restarted on " + nodes() + " (data empty)");
    }

    /** Stops every node and deletes the folder. */
    @Override
    public synchronized void close() {
        stop();
        ScratchDirs.deleteQuietly(dir);
    }

    private void launchAll() {
        for (int port : ports) {
            processes.add(launch(port));
        }
        for (int i = 0; i < ports.size(); i++) {
            processes.set(i, awaitPingRelaunching(processes.get(i), ports.get(i)));
        }
    }

    /**
     * On a restart a node's port may be briefly taken: a stopped node's port is back in the ephemeral range, and an
     * outgoing connection of any process on this machine may get it as its local port. Launch again for a while.
     */
    private Process awaitPingRelaunching(Process process, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                awaitPing(process, port);
                return process;
            } catch (IllegalStateException failed) {
                String message = String.valueOf(failed.getMessage());
                if (!message.contains("Address already in use") || System.nanoTime() > deadline) {
                    throw failed;
                }
                LOG.info("port " + port + " is taken for now; launching its node again");
                sleep(250);
                process = launch(port);
            }
        }
    }

    private Process launch(int port) {
        Path nodeDir = nodeDir(port);
        try {
            Files.createDirectories(nodeDir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + nodeDir, e);
        }
        List<String> command = List.of(binary.toString(),
                "--port", Integer.toString(port),
                "--bind", Ports.HOST,
                "--protected-mode", "yes",
                "--daemonize", "no",
                "--dir", nodeDir.toString(),
                "--pidfile", nodeDir.resolve(EmbeddedRedis.PID_FILE).toString(),
                "--logfile", nodeDir.resolve(EmbeddedRedis.LOG_FILE).toString(),
                "--save", "",
                "--appendonly", "no",
                "--cluster-enabled", "yes",
                "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                "--cluster-node-timeout", "2000");
        try {
            return new ProcessBuilder(command)
                    .directory(nodeDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(nodeDir.resolve("redis.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot launch " + binary + ": " + e.getMessage(), e);
        }
    }

    private void awaitPing(Process process, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("cluster node on port " + port + " exited with code " + process.exitValue()
                        + ": " + EmbeddedRedis.tail(nodeDir(port).resolve(EmbeddedRedis.LOG_FILE)));
            }
            if (EmbeddedRedis.answersPing(port)) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("cluster node on port " + port + " did not answer PING within "
                + START_TIMEOUT.toSeconds() + "s");
    }

    private void assignSlotsAndMeet() {
        try {
            for (int i = 0; i < ports.size(); i++) {
                int from = i * SLOTS / ports.size();
                int to = (i + 1) * SLOTS / ports.size();
                try (RespClient node = new RespClient(Ports.HOST, ports.get(i))) {
                    for (int chunk = from; chunk < to; chunk += ADDSLOTS_CHUNK) {
                        List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                        for (int slot = chunk; slot < Math.min(to, chunk + ADDSLOTS_CHUNK); slot++) {
                            args.add(Integer.toString(slot));
                        }
                        node.call(args.toArray(String[]::new));
                    }
                }
            }
            try (RespClient first = new RespClient(Ports.HOST, ports.get(0))) {
                for (int port : ports.subList(1, ports.size())) {
                    first.call("CLUSTER", "MEET", Ports.HOST, Integer.toString(port));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot set up the Redis Cluster: " + e.getMessage(), e);
        }
    }

    /** Waits until every node says cluster_state:ok, knows all nodes and all slots, and all serve the same slot map. */
    private void awaitHealthy() {
        long deadline = System.nanoTime() + CLUSTER_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = health();
                if (last.isEmpty()) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                last = e.getMessage();
            }
            sleep(100);
        }
        throw new IllegalStateException("Redis Cluster on " + nodes() + " not healthy within "
                + CLUSTER_TIMEOUT.toSeconds() + "s: " + last);
    }

    /** Empty when healthy, else what is still wrong. */
    private String health() throws IOException {
        String reference = null;
        for (int port : ports) {
            try (RespClient node = new RespClient(Ports.HOST, port)) {
                String info = (String) node.call("CLUSTER", "INFO");
                if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_assigned:" + SLOTS)
                        || !info.contains("cluster_known_nodes:" + ports.size())) {
                    return "node " + port + ": " + info.replace("\r\n", " ");
                }
                String slots = slotMap((List<?>) node.call("CLUSTER", "SLOTS"));
                if (reference == null) {
                    reference = slots;
                } else if (!reference.equals(slots)) {
                    return "slot maps differ: " + reference + " vs " + slots + " (node " + port + ")";
                }
            }
        }
        return "";
    }

    /** CLUSTER SLOTS reduced to sorted {@code from-to@port} entries. */
    private static String slotMap(List<?> reply) {
        List<String> ranges = new ArrayList<>();
        for (Object entry : reply) {
            List<?> range = (List<?>) entry;
            List<?> primary = (List<?>) range.get(2);
            ranges.add(range.get(0) + "-" + range.get(1) + "@" + primary.get(1));
        }
        ranges.sort(null);
        return String.join(",", ranges);
    }

    private Path nodeDir(int port) {
        return dir.resolve("node-" + port);
    }

    /** {@code count} distinct ports whose cluster-bus port (+10000) is free as well. */
    static List<Integer> clusterPorts(int count) {
        List<Integer> chosen = new ArrayList<>();
        for (int attempt = 0; chosen.size() < count && attempt < 10_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 65_535 - BUS_OFFSET);
            if (!chosen.contains(port) && !chosen.contains(port + BUS_OFFSET) && !chosen.contains(port - BUS_OFFSET)
                    && Ports.isFree(port) && Ports.isFree(port + BUS_OFFSET)) {
                chosen.add(port);
            }
        }
        if (chosen.size() < count) {
            throw new IllegalStateException("Cannot find " + count + " free port pairs (port, port+10000) on 127.0.0.1");
        }
        return chosen;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Redis Cluster", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedisCluster" + Objects.toString(nodes());
    }
}

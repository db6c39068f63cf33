package io.chatplatform.localstack;

import static io.chatplatform.localstack.StoreAssertions.assertStopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmbeddedRedisClusterTest {

    @Test
    void threePrimariesShareTheSlotsAndRejoinAfterARestart() throws Exception {
        EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start();
        List<Integer> ports = cluster.ports();
        List<Long> pids = cluster.pids();
        Path dir = cluster.dir();
        try {
            assertEquals(3, Set.copyOf(ports).size());
            for (int port : ports) {
                assertTrue(port + 10000 <= 65535, "cluster bus port in range");
                StoreAssertions.assertNotWellKnown(port, 6379);
            }
            assertEquals("redis://127.0.0.1:" + ports.get(0) + ",redis://127.0.0.1:" + ports.get(1)
                    + ",redis://127.0.0.1:" + ports.get(2), cluster.hosts());
            for (int port : ports) {
                try (RespClient node = new RespClient("127.0.0.1", port)) {
                    String info = (String) node.call("CLUSTER", "INFO");
                    assertTrue(info.contains("cluster_state:ok"), info);
                    assertTrue(info.contains("cluster_size:3"), info);
                    assertEquals("", ((List<?>) node.call("CONFIG", "GET", "save")).get(1), "no RDB snapshots");
                    assertEquals("no", ((List<?>) node.call("CONFIG", "GET", "appendonly")).get(1));
                }
            }
            // keys in different slots land on different nodes; a plain client gets MOVED, the router follows it
            String first = cluster.nodes().get(0);
            Set<String> owners = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                assertEquals("OK", RedisCommand.call(first, null, "SET", "k" + i, "v" + i));
                owners.add(owner("k" + i, cluster));
            }
            assertEquals(3, owners.size(), "30 keys spread over all three primaries");
            assertEquals("v7", RedisCommand.call(first, null, "GET", "k7"));
            try (RespClient node = new RespClient("127.0.0.1", ports.get(0))) {
                boolean moved = false;
                for (int i = 0; i < 30 && !moved; i++) {
                    try {
                        node.call("GET", "k" + i);
                    } catch (IllegalStateException e) {
                        moved = e.getMessage().startsWith("redis: MOVED");
                    }
                }
                assertTrue(moved, "a key of another node answers MOVED");
            }
            // a cross-slot command is refused: it is a real cluster
            IllegalStateException crossSlot = assertThrows(IllegalStateException.class,
                    () -> RedisCommand.call(first, null, "MGET", "k0", "k1", "k2", "k3", "k4", "k5"));
            assertTrue(crossSlot.getMessage().contains("CROSSSLOT"), crossSlot.getMessage());

            cluster.stop();
            assertFalse(cluster.isRunning());
            for (int i = 0; i < ports.size(); i++) {
                assertStopped(ports.get(i), pids.get(i));
                assertTrue(Files.exists(dir.resolve("node-" + ports.get(i)).resolve("nodes.conf")), "nodes.conf kept");
            }
            long started = System.nanoTime();
            cluster.restart();
            System.out.printf("cluster restart until cluster_state:ok: %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertEquals(ports, cluster.ports(), "same ports");
            assertNull(RedisCommand.call(first, null, "GET", "k7"), "no data after a restart");
            assertEquals("OK", RedisCommand.call(first, null, "SET", "k7", "again"));
            assertEquals("again", RedisCommand.call(cluster.nodes().get(2), null, "GET", "k7"));
        } finally {
            cluster.close();
        }
        assertFalse(Files.exists(dir), "folder deleted");
    }

    private static String owner(String key, EmbeddedRedisCluster cluster) throws Exception {
        long slot = (Long) RedisCommand.call(cluster.nodes().get(0), null, "CLUSTER", "KEYSLOT", key);
        int index = (int) (slot * 3 / EmbeddedRedisCluster.SLOTS);
        return cluster.nodes().get(Math.min(index, 2));
    }
}

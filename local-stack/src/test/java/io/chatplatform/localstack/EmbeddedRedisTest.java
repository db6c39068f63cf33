package io.chatplatform.localstack;

import static io.chatplatform.localstack.StoreAssertions.assertNotWellKnown;
import static io.chatplatform.localstack.StoreAssertions.assertStopped;
import static io.chatplatform.localstack.StoreAssertions.newTestDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedRedisTest {

    @Test
    void streamsOverRespOnAFreePortAndStopsCleanly() throws Exception {
        EmbeddedRedis redis = EmbeddedRedis.builder().start();
        int port = redis.port();
        long pid = redis.pid();
        Path dir = redis.dir();
        try {
            assertNotWellKnown(port, 6379);
            assertEquals("redis://127.0.0.1:" + port, redis.uri());
            assertTrue(dir.toString().contains("target"), "throwaway folder under target/: " + dir);
            try (RespClient resp = new RespClient("127.0.0.1", port)) {
                String first = (String) resp.call("XADD", "room:1", "*", "user", "alice", "text", "hi");
                resp.call("XADD", "room:1", "*", "user", "bob", "text", "hello");
                List<?> entries = (List<?>) resp.call("XRANGE", "room:1", "-", "+");
                assertEquals(2, entries.size());
                List<?> entry = (List<?>) entries.get(0);
                assertEquals(first, entry.get(0));
                assertEquals(List.of("user", "alice", "text", "hi"), entry.get(1));
                assertEquals("", ((List<?>) resp.call("CONFIG", "GET", "save")).get(1), "no RDB snapshots");
                assertEquals("no", ((List<?>) resp.call("CONFIG", "GET", "appendonly")).get(1));
            }
        } finally {
            redis.stop();
        }
        assertStopped(port, pid);
        assertFalse(Files.exists(dir), "throwaway folder deleted");
    }

    @Test
    void appendOnlyFileKeepsDataAcrossRestarts() throws Exception {
        Path dir = newTestDir("redis");
        int port;
        try (EmbeddedRedis redis = EmbeddedRedis.builder().dataDir(dir).persistent(true).start();
             RespClient resp = new RespClient("127.0.0.1", redis.port())) {
            port = redis.port();
            assertEquals("OK", resp.call("SET", "greeting", "hello"));
            resp.call("XADD", "room:2", "*", "text", "kept");
        }
        // 6.2 writes appendonly.aof, 7.x (LOCAL_STACK_REDIS_SERVER) a folder of parts
        assertTrue(Files.exists(dir.resolve("appendonly.aof")) || Files.isDirectory(dir.resolve("appendonlydir")),
                "append-only file written");
        try (EmbeddedRedis redis = EmbeddedRedis.builder().dataDir(dir).port(port).persistent(true).start();
             RespClient resp = new RespClient("127.0.0.1", redis.port())) {
            assertEquals(port, redis.port());
            assertEquals("hello", resp.call("GET", "greeting"));
            assertEquals(1L, resp.call("XLEN", "room:2"));
        }
        assertTrue(Files.exists(dir), "a given data folder is kept");
        ScratchDirs.deleteQuietly(dir);
    }
}

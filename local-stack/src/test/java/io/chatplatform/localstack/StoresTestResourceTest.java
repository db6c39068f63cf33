package io.chatplatform.localstack;

import static io.chatplatform.localstack.EmbeddedMariaDbTest.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoresTestResourceTest {

    @AfterEach
    void restoreEnvironment() {
        SharedStores.useEnvironment(System.getenv());
    }

    @Test
    void startsEachStoreOncePerJvmAndReturnsQuarkusConfig() throws Exception {
        SharedStores.useEnvironment(Map.of());
        Map<String, String> config = resource(Map.of("stores", "redis,mysql")).start();
        assertEquals(Set.of("quarkus.redis.hosts", "quarkus.datasource.jdbc.url", "quarkus.datasource.username"),
                config.keySet());
        assertEquals(StoresTestResource.redisUri(), config.get("quarkus.redis.hosts"));
        assertTrue(config.get("quarkus.datasource.jdbc.url").matches("jdbc:mysql://127\\.0\\.0\\.1:\\d+/chat_test"));
        assertEquals("root", config.get("quarkus.datasource.username"));
        assertEquals(config.get("quarkus.datasource.jdbc.url"), StoresTestResource.jdbcUrl());

        // A second application start (other test profile) gets the same servers.
        Map<String, String> again = resource(Map.of("stores", " mongo , mysql", "database", "chat_history")).start();
        assertEquals(Set.of("quarkus.mongodb.connection-string", "quarkus.datasource.jdbc.url",
                "quarkus.datasource.username"), again.keySet());
        assertEquals(LocalStackTest.port(config.get("quarkus.datasource.jdbc.url")),
                LocalStackTest.port(again.get("quarkus.datasource.jdbc.url")));
        assertTrue(again.get("quarkus.datasource.jdbc.url").endsWith("/chat_history"));
        assertEquals(StoresTestResource.mongoConnectionString(), again.get("quarkus.mongodb.connection-string"));

        try (Connection connection = DriverManager.getConnection(StoresTestResource.jdbcUrl(),
                StoresTestResource.jdbcUsername(), StoresTestResource.jdbcPassword());
             Statement statement = connection.createStatement()) {
            assertEquals("chat_history", scalar(statement, "SELECT DATABASE()"));
        }
        try (RespClient redis = new RespClient("127.0.0.1", LocalStackTest.port(StoresTestResource.redisUri()))) {
            assertEquals("PONG", redis.call("PING"));
        }
    }

    @Test
    void storesGivenByEnvironmentAreNotStartedAndNotConfigured() {
        SharedStores.useEnvironment(Map.of(
                "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mysql://127.0.0.1:3306/chat_ci?createDatabaseIfNotExist=true",
                "QUARKUS_DATASOURCE_USERNAME", "ci"));
        assertEquals(Map.of(), resource(Map.of("stores", "redis,mysql")).start());
        assertEquals("redis://127.0.0.1:6379", StoresTestResource.redisUri());
        assertEquals("jdbc:mysql://127.0.0.1:3306/chat_ci?createDatabaseIfNotExist=true", StoresTestResource.jdbcUrl());
        assertEquals("ci", StoresTestResource.jdbcUsername());
        assertEquals("", StoresTestResource.jdbcPassword());
    }

    @Test
    void standaloneRedisFaults() {
        SharedStores.useEnvironment(Map.of());
        assertEquals("standalone", StoresTestResource.redisClientType());
        List<String> nodes = StoresTestResource.redisNodes();
        assertEquals(1, nodes.size());
        assertEquals("redis://" + nodes.get(0), StoresTestResource.redisUri());
        assertEquals("OK", StoresTestResource.redisCommand("SET", "fault:a", "1"));
        StoresTestResource.flushRedis();
        assertNull(StoresTestResource.redisCommand("GET", "fault:a"), "FLUSHALL");

        assertEquals("OK", StoresTestResource.redisCommand("SET", "fault:a", "1"));
        int port = LocalStackTest.port(StoresTestResource.redisUri());
        assertTrue(StoresTestResource.stopRedis());
        assertFalse(Ports.isListening(port), "stopped");
        assertEquals("redis://127.0.0.1:" + port, StoresTestResource.redisUri(), "a stopped Redis is not restarted by a lookup");
        assertThrows(RuntimeException.class, () -> StoresTestResource.redisCommand("PING"));
        assertTrue(StoresTestResource.startRedis());
        assertEquals(nodes, StoresTestResource.redisNodes(), "same port");
        assertNull(StoresTestResource.redisCommand("GET", "fault:a"), "empty after the restart");
        assertEquals("OK", StoresTestResource.redisCommand("SET", "fault:a", "2"));
        assertTrue(StoresTestResource.restartRedis());
        assertNull(StoresTestResource.redisCommand("GET", "fault:a"));
        assertEquals("PONG", StoresTestResource.redisCommand("PING"));
    }

    @Test
    void clusterRedisGivesClusterConfigAndFaults() {
        SharedStores.useEnvironment(Map.of("CHAT_TEST_REDIS", "cluster"));
        Map<String, String> config = resource(Map.of("stores", "redis")).start();
        assertEquals("cluster", config.get("quarkus.redis.client-type"));
        assertEquals("cluster", StoresTestResource.redisClientType());
        List<String> nodes = StoresTestResource.redisNodes();
        assertEquals(3, nodes.size());
        assertEquals("redis://" + nodes.get(0) + ",redis://" + nodes.get(1) + ",redis://" + nodes.get(2),
                config.get("quarkus.redis.hosts"));
        assertEquals(config.get("quarkus.redis.hosts"), StoresTestResource.redisUri());
        for (int i = 0; i < 20; i++) {
            assertEquals("OK", StoresTestResource.redisCommand("SET", "fault:" + i, "v" + i), "MOVED followed");
        }
        assertEquals(1L, StoresTestResource.redisCommand("SADD", "group:{7}:members", "42"));
        assertEquals(List.of("42"), StoresTestResource.redisCommand("SMEMBERS", "group:{7}:members"));
        StoresTestResource.flushRedis();
        for (int i = 0; i < 20; i++) {
            assertNull(StoresTestResource.redisCommand("GET", "fault:" + i), "FLUSHALL on every primary");
        }
        assertEquals("OK", StoresTestResource.redisCommand("SET", "fault:1", "x"));
        assertTrue(StoresTestResource.stopRedis());
        for (String node : nodes) {
            assertFalse(Ports.isListening(LocalStackTest.port("redis://" + node)), node + " stopped");
        }
        assertTrue(StoresTestResource.startRedis());
        assertEquals(nodes, StoresTestResource.redisNodes());
        assertNull(StoresTestResource.redisCommand("GET", "fault:1"));
        assertTrue(((String) StoresTestResource.redisCommand("CLUSTER", "INFO")).contains("cluster_state:ok"));
        assertTrue(StoresTestResource.restartRedis());
        assertEquals("OK", StoresTestResource.redisCommand("SET", "fault:1", "y"));
        assertEquals("y", StoresTestResource.redisCommand("GET", "fault:1"));
    }

    @Test
    void aRealRedisIsNeverStoppedByTests() {
        SharedStores.useEnvironment(Map.of("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:1,redis://127.0.0.1:2",
                "QUARKUS_REDIS_CLIENT_TYPE", "cluster"));
        assertEquals(List.of("127.0.0.1:1", "127.0.0.1:2"), StoresTestResource.redisNodes());
        assertEquals("cluster", StoresTestResource.redisClientType());
        assertFalse(StoresTestResource.stopRedis());
        assertFalse(StoresTestResource.startRedis());
        assertFalse(StoresTestResource.restartRedis());
    }

    @Test
    void rejectsUnknownStores() {
        assertThrows(IllegalArgumentException.class, () -> resource(Map.of("stores", "redis,postgres")));
    }

    private static StoresTestResource resource(Map<String, String> args) {
        StoresTestResource resource = new StoresTestResource();
        resource.init(args);
        return resource;
    }
}

package io.chatplatform.localstack;

import static io.chatplatform.localstack.EmbeddedMariaDbTest.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
    void rejectsUnknownStores() {
        assertThrows(IllegalArgumentException.class, () -> resource(Map.of("stores", "redis,postgres")));
    }

    private static StoresTestResource resource(Map<String, String> args) {
        StoresTestResource resource = new StoresTestResource();
        resource.init(args);
        return resource;
    }
}

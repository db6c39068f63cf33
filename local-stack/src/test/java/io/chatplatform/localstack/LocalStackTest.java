package io.chatplatform.localstack;

import static io.chatplatform.localstack.EmbeddedMariaDbTest.scalar;
import static io.chatplatform.localstack.StoreAssertions.newTestDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class LocalStackTest {

    @Test
    void writesStackEnvThenOnRestartReusesPortsAndKeepsData() throws Exception {
        Path stackDir = newTestDir("stack");
        LocalStack first = new LocalStack(stackDir, new RealServers(Map.of()));
        Map<String, String> env;
        try {
            first.start();
            env = readStackEnv(stackDir);
            assertEquals(List.of("QUARKUS_REDIS_HOSTS", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_MONGODB_CONNECTION_STRING"), List.copyOf(env.keySet()));
            assertTrue(env.get("QUARKUS_REDIS_HOSTS").matches("redis://127\\.0\\.0\\.1:\\d+"));
            assertTrue(env.get("QUARKUS_DATASOURCE_JDBC_URL").matches("jdbc:mysql://127\\.0\\.0\\.1:\\d+/chat_auth"));
            assertEquals("root", env.get("QUARKUS_DATASOURCE_USERNAME"));
            assertTrue(env.get("QUARKUS_MONGODB_CONNECTION_STRING").matches("mongodb://127\\.0\\.0\\.1:\\d+"));
            assertThrows(IllegalStateException.class,
                    () -> new LocalStack(stackDir, new RealServers(Map.of())).start(), "one stack per folder");

            try (RespClient redis = new RespClient("127.0.0.1", port(env.get("QUARKUS_REDIS_HOSTS")))) {
                redis.call("SET", "kept", "yes");
            }
            try (Connection db = DriverManager.getConnection(env.get("QUARKUS_DATASOURCE_JDBC_URL"), "root", "");
                 Statement statement = db.createStatement()) {
                statement.execute("CREATE TABLE account (name VARCHAR(40) PRIMARY KEY)");
                statement.execute("INSERT INTO account VALUES ('alice')");
            }
            try (MongoClient mongo = MongoClients.create(env.get("QUARKUS_MONGODB_CONNECTION_STRING"))) {
                mongo.getDatabase("chat").getCollection("messages").insertOne(new Document("text", "kept"));
            }
        } finally {
            first.stop();
        }
        assertFalse(Files.exists(stackDir.resolve(LocalStack.STACK_ENV_FILE)), "stack.env deleted on stop");
        for (String url : env.values()) {
            if (url.contains("://")) {
                assertFalse(Ports.isListening(port(url)), "port freed: " + url);
            }
        }
        Properties ports = new Properties();
        try (Reader reader = Files.newBufferedReader(stackDir.resolve(LocalStack.PORTS_FILE))) {
            ports.load(reader);
        }
        assertEquals(String.valueOf(port(env.get("QUARKUS_DATASOURCE_JDBC_URL"))), ports.getProperty("mariadb"));

        LocalStack second = new LocalStack(stackDir, new RealServers(Map.of()));
        try {
            second.start();
            assertEquals(env, readStackEnv(stackDir), "same ports on restart");
            try (RespClient redis = new RespClient("127.0.0.1", port(env.get("QUARKUS_REDIS_HOSTS")))) {
                assertEquals("yes", redis.call("GET", "kept"));
            }
            try (Connection db = DriverManager.getConnection(env.get("QUARKUS_DATASOURCE_JDBC_URL"), "root", "");
                 Statement statement = db.createStatement()) {
                assertEquals("alice", scalar(statement, "SELECT name FROM account"));
            }
            try (MongoClient mongo = MongoClients.create(env.get("QUARKUS_MONGODB_CONNECTION_STRING"))) {
                assertEquals(1, mongo.getDatabase("chat").getCollection("messages").countDocuments());
            }
        } finally {
            second.stop();
        }
        ScratchDirs.deleteQuietly(stackDir);
    }

    @Test
    void storesGivenByEnvironmentAreSkippedAndPassedThrough() throws Exception {
        Path stackDir = newTestDir("stack");
        Map<String, String> given = Map.of(
                "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mysql://127.0.0.1:3306/chat_ci?createDatabaseIfNotExist=true",
                "QUARKUS_DATASOURCE_USERNAME", "ci",
                "QUARKUS_DATASOURCE_PASSWORD", "it's secret",
                "QUARKUS_MONGODB_CONNECTION_STRING", "mongodb://127.0.0.1:27017");
        LocalStack stack = new LocalStack(stackDir, new RealServers(given));
        try {
            stack.start();
            assertEquals(given, readStackEnv(stackDir));
            String text = Files.readString(stackDir.resolve(LocalStack.STACK_ENV_FILE));
            assertTrue(text.contains("export QUARKUS_DATASOURCE_PASSWORD='it'\\''s secret'"), text);
        } finally {
            stack.stop();
        }
        ScratchDirs.deleteQuietly(stackDir);
    }

    /** Parses stack.env the way a shell would (through bash), so quoting is checked too. */
    static Map<String, String> readStackEnv(Path stackDir) throws IOException, InterruptedException {
        Path file = stackDir.resolve(LocalStack.STACK_ENV_FILE);
        Process bash = new ProcessBuilder("bash", "-c",
                "set -e; env -i bash -c 'source \"$0\"; for v in $(compgen -e | grep -E \"^QUARKUS_\"); do "
                        + "printf \"%s=%s\\0\" \"$v\" \"${!v}\"; done' " + "\"" + file + "\"")
                .redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), output);
        Map<String, String> order = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("export ")) {
                order.put(line.substring(7, line.indexOf('=')), null);
            }
        }
        for (String pair : output.split("\0")) {
            if (!pair.isEmpty()) {
                order.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return order;
    }

    static int port(String url) {
        return URI.create(url.startsWith("jdbc:") ? url.substring(5) : url).getPort();
    }
}

package io.chatplatform.localstack;

import static io.chatplatform.localstack.StoreAssertions.assertNotWellKnown;
import static io.chatplatform.localstack.StoreAssertions.assertStopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {

    @Test
    void rootConnectsOverTcpWithTheMysqlDriverAndStopLeavesNothingBehind() throws Exception {
        EmbeddedMariaDb db = EmbeddedMariaDb.builder().databases("chat_it").start();
        int port = db.port();
        long pid = db.pid();
        Path dir = db.dir();
        try {
            assertNotWellKnown(port, 3306);
            assertEquals("jdbc:mysql://127.0.0.1:" + port + "/chat_it", db.jdbcUrl("chat_it"));
            assertTrue(dir.toString().contains("target"), "throwaway folder under target/: " + dir);
            try (Connection connection = DriverManager.getConnection(db.jdbcUrl("chat_it"), "root", "");
                 Statement statement = connection.createStatement()) {
                assertTrue(scalar(statement, "SELECT VERSION()").startsWith("11.4"));
                assertEquals("chat_it", scalar(statement, "SELECT DATABASE()"));
                assertEquals("root@127.0.0.1", scalar(statement, "SELECT CURRENT_USER()"));
                statement.execute("CREATE TABLE message (id BIGINT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(100))");
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO message (body) VALUES (?)")) {
                    insert.setString(1, "hello \uD83D\uDC4B"); // needs utf8mb4
                    insert.executeUpdate();
                }
                assertEquals("hello \uD83D\uDC4B", scalar(statement, "SELECT body FROM message"));
            }
            db.createDatabase("chat_other");
            try (Connection connection = DriverManager.getConnection(db.jdbcUrl("chat_other"), "root", null);
                 Statement statement = connection.createStatement()) {
                assertEquals("chat_other", scalar(statement, "SELECT DATABASE()"));
            }
            assertThrows(IllegalArgumentException.class, () -> db.createDatabase("bad`name"));
        } finally {
            db.stop();
        }
        assertStopped(port, pid);
        assertFalse(Files.exists(dir), "throwaway folder deleted");
        assertThrows(SQLException.class, () -> DriverManager.getConnection(db.jdbcUrl("chat_it"), "root", ""));
    }

    static String scalar(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            return result.getString(1);
        }
    }
}

package io.chatplatform.auth.user;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * {@code SELECT … FOR UPDATE} on the user's {@code users} row: the writes of one user's blocks and refresh tokens queue
 * behind it, so their later statements need no gap locks (which deadlock concurrent inserts).
 */
public final class UserRowLock {

    private UserRowLock() {
    }

    /** Locks the row until the connection's transaction ends. */
    public static void lock(Connection connection, long uid) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM users WHERE id = ? FOR UPDATE")) {
            lock.setLong(1, uid);
            lock.executeQuery().close();
        }
    }
}

package io.chatplatform.auth.block;

import io.chatplatform.auth.user.UserRowLock;
import io.agroal.api.AgroalDataSource;
import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.user.User;
import io.chatplatform.common.http.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who blocked whom (MySQL {@code user_blocks}, the truth) and its Redis mirror ({@link BlockMirror}). A change locks the
 * blocking user's row, changes MySQL and rewrites the user's mirror before it commits: when Redis cannot be written the
 * change rolls back (503, repeat it). Blocking is silent: the blocked user is not told (chat answers their direct sends
 * {@code FORBIDDEN}).
 */
@ApplicationScoped
public class Blocks {

    private final AgroalDataSource dataSource;
    private final BlockMirror mirror;
    private final int pageSize;

    public Blocks(AgroalDataSource dataSource, BlockMirror mirror, AuthConfig config) {
        this.dataSource = dataSource;
        this.mirror = mirror;
        this.pageSize = config.mirror().pageSize();
    }

    public void block(long uid, long blocked) {
        if (uid == blocked) {
            throw ApiException.invalid("you cannot block yourself");
        }
        change(uid, blocked, true);
    }

    /** @return false if {@code blocked} was not blocked (the mirror is rewritten anyway: a retry heals it) */
    public boolean unblock(long uid, long blocked) {
        return change(uid, blocked, false);
    }

    private boolean change(long uid, long other, boolean block) {
        return QuarkusTransaction.requiringNew().call(() -> sql(connection -> {
            UserRowLock.lock(connection, uid);
            if (block && User.findById(other) == null) {
                throw ApiException.notFound("no such user");
            }
            int changed;
            try (PreparedStatement write = connection.prepareStatement(block
                    ? "INSERT IGNORE INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)"
                    : "DELETE FROM user_blocks WHERE user_id = ? AND blocked_id = ?")) {
                write.setLong(1, uid);
                write.setLong(2, other);
                if (block) {
                    write.setTimestamp(3, Timestamp.from(Instant.now()));
                }
                changed = write.executeUpdate();
            }
            mirror.write(uid, blockedBy(connection, uid));
            return changed > 0;
        }));
    }

    /** The users {@code uid} blocked, oldest block first. */
    public List<Blocked> list(long uid) {
        return QuarkusTransaction.requiringNew().call(() -> sql(connection -> {
            List<Blocked> blocked = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT b.blocked_id, u.username, u.display_name,"
                    + " b.created_at FROM user_blocks b JOIN users u ON u.id = b.blocked_id WHERE b.user_id = ?"
                    + " ORDER BY b.created_at, b.blocked_id")) {
                select.setLong(1, uid);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        blocked.add(new Blocked(rows.getLong(1), rows.getString(2), rows.getString(3),
                                rows.getTimestamp(4).toInstant()));
                    }
                }
            }
            return blocked;
        }));
    }

    /** Rewrites one user's mirror from MySQL (chat found no mirror for them). */
    public void rebuild(long uid) {
        QuarkusTransaction.requiringNew().run(() -> sql(connection -> {
            UserRowLock.lock(connection, uid);
            mirror.write(uid, blockedBy(connection, uid));
            return null;
        }));
    }

    /**
     * Rewrites the mirror of every user who blocked somebody (start-up, Redis lost its data, the reconcile), a page of
     * users at a time; users without blocks are mirrored when chat asks. Returns the number of users.
     */
    public int rebuildAll() {
        long after = 0;
        int count = 0;
        while (true) {
            long from = after;
            TreeMap<Long, Set<Long>> page = sql(connection -> {
                TreeMap<Long, Set<Long>> users = new TreeMap<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT user_id, blocked_id FROM user_blocks"
                        + " WHERE user_id IN (SELECT * FROM (SELECT DISTINCT user_id FROM user_blocks WHERE user_id > ?"
                        + " ORDER BY user_id LIMIT ?) AS page) ORDER BY user_id, blocked_id")) {
                    select.setLong(1, from);
                    select.setInt(2, pageSize);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            users.computeIfAbsent(rows.getLong(1), u -> new LinkedHashSet<>()).add(rows.getLong(2));
                        }
                    }
                }
                return users;
            });
            if (page.isEmpty()) {
                return count;
            }
            mirror.writeAll(page);
            count += page.size();
            after = page.lastKey();
        }
    }


    private static Set<Long> blockedBy(Connection connection, long uid) throws SQLException {
        Set<Long> blocked = new LinkedHashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT blocked_id FROM user_blocks WHERE user_id = ?")) {
            select.setLong(1, uid);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    blocked.add(rows.getLong(1));
                }
            }
        }
        return blocked;
    }

    private <T> T sql(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("blocks: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public record Blocked(long userId, String username, String displayName, Instant blockedAt) {
    }
}

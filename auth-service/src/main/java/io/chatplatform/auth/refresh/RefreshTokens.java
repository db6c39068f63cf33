package io.chatplatform.auth.refresh;

import io.chatplatform.auth.user.UserRowLock;
import io.agroal.api.AgroalDataSource;
import io.chatplatform.auth.config.AuthConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Refresh tokens in MySQL ({@code refresh_tokens}): opaque, 256 random bits, only their SHA-256 stored. A device has at
 * most one unused token; each use marks it used and issues the next one with a fresh {@code auth.refresh.lifetime}
 * (sliding expiry). Used tokens stay until their own expiry, so presenting one again is told apart from a token nobody
 * ever had: the first is theft (or a copied token), and ends the device's session.
 *
 * <p>Every write first locks the user's row ({@code users}), so a user's token writes queue one behind the other, and
 * then touches tokens by primary key only. Deleting by {@code (user_id, device_id)} would take InnoDB gap locks on that
 * index, and two logins whose inserts land in the same gap deadlock on them (a hundred parallel logins did).
 */
@ApplicationScoped
public class RefreshTokens {

    private final SecureRandom random = new SecureRandom();
    private final AgroalDataSource dataSource;
    private final Duration lifetime;

    public RefreshTokens(AgroalDataSource dataSource, AuthConfig config) {
        this.dataSource = dataSource;
        this.lifetime = config.refresh().lifetime();
    }

    /** A new token for the device, replacing every earlier one of that device (used or not). */
    public Issued issue(long uid, String deviceId, String sessionJti, String userAgent, String ip) {
        String token = newToken();
        Instant expiresAt = now().plus(lifetime);
        QuarkusTransaction.requiringNew().run(() -> sql(connection -> {
            UserRowLock.lock(connection, uid);
            deleteDevice(connection, uid, deviceId);
            insert(connection, token, uid, deviceId, sessionJti, userAgent, ip, expiresAt);
            return null;
        }));
        return new Issued(token, expiresAt);
    }

    /**
     * Uses a token once: on success it is marked used and its successor returned. Concurrent uses of one token are
     * serialised by the row lock: the second sees it used. {@code keepAlive} runs while the row is locked, before the
     * commit: false (the device session cannot continue) ends the device's tokens ({@code REFUSED}); an exception rolls
     * everything back, so the token stays unused and the client may simply retry (e.g. a 503 while Redis is down).
     */
    public Rotation rotate(String token, java.util.function.Predicate<Stored> keepAlive) {
        String hash = hash(token);
        // The owner is read before the transaction: a plain read inside it would fix its snapshot before the user lock.
        Optional<Long> owner = QuarkusTransaction.requiringNew().call(() -> sql(connection -> owner(connection, hash)));
        if (owner.isEmpty()) {
            return new Rotation(Outcome.UNKNOWN, null, null);
        }
        return QuarkusTransaction.requiringNew().call(() -> sql(connection -> {
            UserRowLock.lock(connection, owner.get());
            Stored stored;
            try (PreparedStatement select = connection.prepareStatement("SELECT user_id, device_id, session_jti, user_agent,"
                    + " ip, expires_at, used_at FROM refresh_tokens WHERE token_hash = ? FOR UPDATE")) {
                select.setString(1, hash);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return new Rotation(Outcome.UNKNOWN, null, null);
                    }
                    stored = new Stored(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                            row.getString(5), row.getTimestamp(6).toInstant(), row.getTimestamp(7) != null);
                }
            }
            if (stored.used()) {
                deleteDevice(connection, stored.uid(), stored.deviceId());
                return new Rotation(Outcome.REUSED, stored, null);
            }
            if (!stored.expiresAt().isAfter(Instant.now())) {
                deleteDevice(connection, stored.uid(), stored.deviceId());
                return new Rotation(Outcome.EXPIRED, stored, null);
            }
            if (!keepAlive.test(stored)) {
                deleteDevice(connection, stored.uid(), stored.deviceId());
                return new Rotation(Outcome.REFUSED, stored, null);
            }
            try (PreparedStatement used = connection.prepareStatement(
                    "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?")) {
                used.setTimestamp(1, Timestamp.from(now()));
                used.setString(2, hash);
                used.executeUpdate();
            }
            String next = newToken();
            Instant expiresAt = now().plus(lifetime);
            insert(connection, next, stored.uid(), stored.deviceId(), stored.sessionJti(), stored.userAgent(), stored.ip(),
                    expiresAt);
            return new Rotation(Outcome.ROTATED, stored, new Issued(next, expiresAt));
        }));
    }

    /** Ends the device's refresh tokens; true if it had any. */
    public boolean revokeDevice(long uid, String deviceId) {
        return QuarkusTransaction.requiringNew().call(() -> sql(connection -> {
            UserRowLock.lock(connection, uid);
            return deleteDevice(connection, uid, deviceId) > 0;
        }));
    }

    /** Ends every refresh token of the user except those of {@code keepDevice} (empty: all of them). */
    public void revokeUser(long uid, Optional<String> keepDevice) {
        QuarkusTransaction.requiringNew().run(() -> sql(connection -> {
            UserRowLock.lock(connection, uid);
            List<String> hashes = keepDevice.isPresent()
                    ? hashes(connection, "SELECT token_hash FROM refresh_tokens WHERE user_id = ? AND device_id <> ?", uid,
                            keepDevice.get())
                    : hashes(connection, "SELECT token_hash FROM refresh_tokens WHERE user_id = ?", uid);
            return deleteByHash(connection, hashes);
        }));
    }

    /** Deletes up to {@code limit} expired tokens; returns how many. */
    public int deleteExpired(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> sql(connection -> {
            Timestamp now = Timestamp.from(Instant.now());
            List<String> expired = hashes(connection,
                    "SELECT token_hash FROM refresh_tokens WHERE expires_at < ? LIMIT ?", now, limit);
            return deleteByHash(connection, expired);
        }));
    }

    private static int deleteDevice(Connection connection, long uid, String deviceId) throws SQLException {
        return deleteByHash(connection,
                hashes(connection, "SELECT token_hash FROM refresh_tokens WHERE user_id = ? AND device_id = ?", uid, deviceId));
    }


    private static Optional<Long> owner(Connection connection, String hash) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT user_id FROM refresh_tokens WHERE token_hash = ?")) {
            select.setString(1, hash);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
            }
        }
    }

    /** A plain (non-locking) read: under the user's lock it sees every committed token of that user. */
    private static List<String> hashes(Connection connection, String query, Object... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<String> hashes = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    hashes.add(rows.getString(1));
                }
            }
            return hashes;
        }
    }

    /** Deletes by primary key, in key order: record locks only, taken in the same order by every writer. */
    private static int deleteByHash(Connection connection, List<String> hashes) throws SQLException {
        if (hashes.isEmpty()) {
            return 0;
        }
        List<String> ordered = hashes.stream().sorted().toList();
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM refresh_tokens WHERE token_hash IN ("
                + String.join(", ", Collections.nCopies(ordered.size(), "?")) + ")")) {
            for (int i = 0; i < ordered.size(); i++) {
                delete.setString(i + 1, ordered.get(i));
            }
            return delete.executeUpdate();
        }
    }

    private static void insert(Connection connection, String token, long uid, String deviceId, String jti, String userAgent,
            String ip, Instant expiresAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO refresh_tokens (token_hash, user_id,"
                + " device_id, session_jti, user_agent, ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, hash(token));
            insert.setLong(2, uid);
            insert.setString(3, deviceId);
            insert.setString(4, jti);
            insert.setString(5, truncate(userAgent, 255));
            insert.setString(6, truncate(ip, 64));
            insert.setTimestamp(7, Timestamp.from(now()));
            insert.setTimestamp(8, Timestamp.from(expiresAt));
            insert.executeUpdate();
        }
    }

    private <T> T sql(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("refresh tokens: " + e.getMessage(), e);
        }
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public record Issued(String token, Instant expiresAt) {
    }

    /** What a stored token named: its user, device and device session. */
    public record Stored(long uid, String deviceId, String sessionJti, String userAgent, String ip, Instant expiresAt,
            boolean used) {
    }

    public enum Outcome { ROTATED, UNKNOWN, REUSED, EXPIRED, REFUSED }

    /** {@code stored} is null for {@code UNKNOWN}; {@code next} is set only for {@code ROTATED}. */
    public record Rotation(Outcome outcome, Stored stored, Issued next) {
    }
}

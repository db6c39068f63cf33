package io.chatplatform.auth.user;

import io.agroal.api.AgroalDataSource;
import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.common.session.UserKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Rebuilds the user-id mirror from MySQL: every id (start-up, Redis lost its data, the periodic reconcile; one query per
 * bucket of 65,536 ids, one script per bucket) and one id on request (a miss in chat). No locks: bits are only set, and
 * a registration sets its own.
 */
@ApplicationScoped
public class UserMirrorRebuild {

    private final AgroalDataSource dataSource;
    private final UserMirror mirror;
    private final AuthConfig.Mirror config;

    public UserMirrorRebuild(AgroalDataSource dataSource, UserMirror mirror, AuthConfig config) {
        this.dataSource = dataSource;
        this.mirror = mirror;
        this.config = config.mirror();
    }

    /** Sets {@code uid}'s bit if MySQL has the user, else its absent marker; true if it exists. */
    public boolean user(long uid) {
        boolean exists;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM users WHERE id = ?")) {
            select.setLong(1, uid);
            try (ResultSet rows = select.executeQuery()) {
                exists = rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read users from MySQL: " + e.getMessage(), e);
        }
        mirror.confirm(uid, exists, config.absentTtl());
        return exists;
    }

    /** Sets the bit of every user MySQL has, bucket by bucket; returns the number of users. */
    public int allUsers() {
        int count = 0;
        try (Connection connection = dataSource.getConnection()) {
            long max;
            try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM users");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                max = rows.getLong(1);
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM users WHERE id >= ? AND id < ?")) {
                for (long bucket = 0; bucket <= UserKeys.bucket(max); bucket++) {
                    select.setLong(1, bucket * UserKeys.BUCKET_SIZE);
                    select.setLong(2, (bucket + 1) * UserKeys.BUCKET_SIZE);
                    byte[] bits = null;
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            long offset = UserKeys.offset(rows.getLong(1));
                            if (bits == null) {
                                bits = new byte[(int) (UserKeys.BUCKET_SIZE / 8)];
                            }
                            bits[(int) (offset >>> 3)] |= (byte) (0x80 >>> (offset & 7));
                            count++;
                        }
                    }
                    if (bits != null) {
                        mirror.merge(Map.of(bucket, trimmed(bits)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read users from MySQL: " + e.getMessage(), e);
        }
        return count;
    }

    /** Without trailing zero bytes (BITOP OR keeps the longer operand's length anyway). */
    private static byte[] trimmed(byte[] bits) {
        int length = bits.length;
        while (length > 1 && bits[length - 1] == 0) {
            length--;
        }
        return length == bits.length ? bits : java.util.Arrays.copyOf(bits, length);
    }
}

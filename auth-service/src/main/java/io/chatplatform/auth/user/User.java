package io.chatplatform.auth.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, length = 32)
    public String username;

    @Column(name = "password_hash", nullable = false, length = 100)
    public String passwordHash;

    @Column(name = "display_name", nullable = false, length = 64)
    public String displayName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Role role;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** A media id, or null. */
    @Column(length = 64)
    public String avatar;

    /** An admin disabled the account: no logins, no refreshes. */
    @Column(nullable = false)
    public boolean disabled;

    /** When the owner deleted the account (profile erased; id and username stay reserved), else null. */
    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** May sign in: neither disabled nor deleted. */
    public boolean active() {
        return !disabled && deletedAt == null;
    }

    public static Optional<User> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    @Override
    public String toString() {
        return "User[" + id + ", " + username + ", " + role + "]";
    }
}

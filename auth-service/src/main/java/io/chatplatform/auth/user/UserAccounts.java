package io.chatplatform.auth.user;

import io.chatplatform.common.http.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Creating users and changing their role; the MySQL side of accounts. */
@ApplicationScoped
public class UserAccounts {

    private final PasswordHasher hasher;
    private final UserMirror mirror;

    public UserAccounts(PasswordHasher hasher, UserMirror mirror) {
        this.hasher = hasher;
        this.mirror = mirror;
    }

    /** @throws ApiException 409 CONFLICT when the name is taken (also under a concurrent race). */
    public User register(String username, String password, String displayName, Role role) {
        String hash = hasher.hash(password);
        User created = insert(username, hash, displayName, role);
        mirror.added(created.id);
        return created;
    }

    private User insert(String username, String hash, String displayName, Role role) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                if (User.findByUsername(username).isPresent()) {
                    throw usernameTaken();
                }
                User user = new User();
                user.username = username;
                user.passwordHash = hash;
                user.displayName = displayName;
                user.role = role;
                user.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                user.persistAndFlush();
                return user;
            });
        } catch (PersistenceException e) {
            // the unique index decided a race between two registrations of the same name
            if (User.findByUsername(username).isPresent()) {
                throw usernameTaken();
            }
            throw e;
        }
    }

    /**
     * The user if the password matches; equal cost whether or not the user exists (a deleted account has no password).
     *
     * @throws ApiException 403 ACCOUNT_DISABLED when the password is right but an admin disabled the account
     */
    public Optional<User> authenticate(String username, String password) {
        Optional<User> user = QuarkusTransaction.joiningExisting().call(() -> User.findByUsername(username))
                .filter(u -> u.deletedAt == null);
        boolean matches = hasher.matches(password, user.map(u -> u.passwordHash).orElse(null));
        if (matches && user.get().disabled) {
            throw disabled();
        }
        return matches ? user : Optional.empty();
    }

    public static ApiException disabled() {
        return new ApiException(403, "ACCOUNT_DISABLED", "this account has been disabled by an administrator");
    }

    /** Whether {@code password} is the user's (bcrypt on the bounded pool); false for a missing or deleted user. */
    public boolean passwordMatches(User user, String password) {
        return hasher.matches(password == null ? "" : password, user == null || user.deletedAt != null ? null : user.passwordHash);
    }

    /** Stores the hash of the new password. */
    public void changePassword(long uid, String password) {
        String hash = hasher.hash(password);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findByIdOptional(uid)
                .orElseThrow(() -> ApiException.notFound("no such user")).passwordHash = hash);
    }

    /** Display name and avatar; null leaves a field as it is. */
    public User updateProfile(long uid, String displayName, Optional<String> avatar) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = User.<User>findByIdOptional(uid).orElseThrow(() -> ApiException.notFound("no such user"));
            if (displayName != null) {
                user.displayName = displayName;
            }
            avatar.ifPresent(a -> user.avatar = a.isEmpty() ? null : a);
            return user;
        });
    }

    /**
     * Erases the profile of a deleted account: display name {@value #DELETED_NAME}, no avatar, no password (nobody can
     * log in), no blocks. The row, its id and its username stay: messages stay attributed to the id, and nobody can
     * register the name to pass for the old account.
     */
    public void erase(long uid) {
        QuarkusTransaction.requiringNew().run(() -> {
            User user = User.<User>findByIdOptional(uid).orElseThrow(() -> ApiException.notFound("no such user"));
            user.displayName = DELETED_NAME;
            user.avatar = null;
            user.passwordHash = "!deleted";
            user.deletedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            User.getEntityManager().createNativeQuery("DELETE FROM user_blocks WHERE user_id = ?1").setParameter(1, uid)
                    .executeUpdate();
        });
    }

    public static final String DELETED_NAME = "Deleted user";

    /** @return whether the user was disabled before */
    public boolean setDisabled(long uid, boolean disabled) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = User.<User>findByIdOptional(uid).orElseThrow(() -> ApiException.notFound("no such user"));
            boolean before = user.disabled;
            user.disabled = disabled;
            return before;
        });
    }

    /** @return the role the user had before */
    public Role changeRole(long id, Role role) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = User.<User>findByIdOptional(id).orElseThrow(() -> ApiException.notFound("no such user"));
            Role previous = user.role;
            user.role = role;
            return previous;
        });
    }

    private static ApiException usernameTaken() {
        return new ApiException(409, "USERNAME_TAKEN", "that username is already taken");
    }
}

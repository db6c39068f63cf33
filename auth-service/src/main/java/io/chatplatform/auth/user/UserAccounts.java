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

package io.chatplatform.auth.user;

import io.chatplatform.auth.config.AuthConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;

/** bcrypt password hashes (Modular Crypt Format), cost from config. */
@ApplicationScoped
public class PasswordHasher {

    private final int cost;
    /** Compared against when the user does not exist, so a miss costs as long as a wrong password. */
    private final String decoyHash;

    public PasswordHasher(AuthConfig config) {
        this.cost = config.bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-never-matches", cost);
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    public boolean matches(String password, String hash) {
        return BcryptUtil.matches(password, hash == null ? decoyHash : hash);
    }
}

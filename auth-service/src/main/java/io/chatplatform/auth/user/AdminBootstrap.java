package io.chatplatform.auth.user;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.common.http.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Creates the configured admin account at startup if no account has that name. It never promotes an existing account:
 * whoever registered the name first (e.g. {@code ops} before an operator set {@code AUTH_ADMIN_USERNAME=ops}) stays what
 * they are, and the clash is logged as an error. Production refuses to start without an admin configured; dev and test
 * have a documented default. An existing admin keeps its password.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final UserAccounts accounts;

    public AdminBootstrap(UserAccounts accounts) {
        this.accounts = accounts;
    }

    void onStart(@Observes StartupEvent event, AuthConfig config) {
        var admin = config.admin();
        if (admin.username().isEmpty() || admin.password().isEmpty()) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException(
                        "auth.admin.username and auth.admin.password (AUTH_ADMIN_USERNAME / AUTH_ADMIN_PASSWORD) must be set");
            }
            return;
        }
        ensure(admin.username().get(), admin.password().get());
    }

    /** What start-up does with the configured name and password; the role the account of that name has afterwards. */
    public Role ensure(String configuredName, String password) {
        String username = AccountRules.username(configuredName);
        var existing = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username));
        if (existing.isPresent()) {
            return refuseToPromote(existing.get());
        }
        try {
            accounts.register(username, AccountRules.password(password), username, Role.ADMIN);
            LOG.infof("created admin account '%s'", username);
            return Role.ADMIN;
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            // another replica created it at the same moment, or someone registered the name just now
            return refuseToPromote(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username)).orElseThrow());
        }
    }

    private static Role refuseToPromote(User user) {
        if (user.role != Role.ADMIN) {
            LOG.errorf("admin bootstrap: the configured admin name '%s' belongs to an existing %s account (id %d), which was"
                    + " NOT made an admin; configure another AUTH_ADMIN_USERNAME, or promote that account with an existing"
                    + " admin's PUT /auth/users/%d/role if it really is yours", user.username, user.role, user.id, user.id);
        }
        return user.role;
    }
}

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
 * Makes sure the configured admin account exists at startup. Production refuses to start without one
 * configured; dev and test have a documented default. An existing account keeps its password.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    void onStart(@Observes StartupEvent event, AuthConfig config, UserAccounts accounts) {
        var admin = config.admin();
        if (admin.username().isEmpty() || admin.password().isEmpty()) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException(
                        "auth.admin.username and auth.admin.password (AUTH_ADMIN_USERNAME / AUTH_ADMIN_PASSWORD) must be set");
            }
            return;
        }
        String username = AccountRules.username(admin.username().get());
        var existing = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username));
        if (existing.isEmpty()) {
            try {
                accounts.register(username, AccountRules.password(admin.password().get()), username, Role.ADMIN);
                LOG.infof("created admin account '%s'", username);
            } catch (ApiException e) {
                if (e.status() != 409) {
                    throw e;
                }
                // another replica created it at the same moment
            }
        } else if (existing.get().role != Role.ADMIN) {
            accounts.changeRole(existing.get().id, Role.ADMIN);
            LOG.infof("made '%s' an admin", username);
        }
    }
}

package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Refuses the upgrade with 429 when the user already holds the configured number of connections here. */
@ApplicationScoped
public class ConnectionCapCheck implements HttpUpgradeCheck {

    private final Connections connections;
    private final int max;

    public ConnectionCapCheck(Connections connections, ChatConfig config) {
        this.connections = connections;
        this.max = config.limits().maxConnectionsPerUser();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return context.securityIdentity().flatMap(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return CheckResult.permitUpgrade(); // the security check answers 401
            }
            long uid = AuthenticatedDevice.of(identity).uid();
            return connections.countOfUser(uid) >= max ? CheckResult.rejectUpgrade(429) : CheckResult.permitUpgrade();
        });
    }
}

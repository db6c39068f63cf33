package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * With {@code chat.allowed-origins} set, a browser page from any other origin gets 403 at the upgrade
 * (cross-site WebSocket hijacking). Clients that send no Origin (apps, servers) are not browsers and pass.
 */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {

    private final Set<String> allowed;

    public OriginCheck(ChatConfig config) {
        this.allowed = Set.copyOf(config.allowedOrigins().orElse(List.of()));
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader("Origin");
        if (allowed.isEmpty() || origin == null || allowed.contains(origin)) {
            return CheckResult.permitUpgrade();
        }
        return CheckResult.rejectUpgrade(403);
    }
}

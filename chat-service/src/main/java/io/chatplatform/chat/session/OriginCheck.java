package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * With {@code chat.allowed-origins} set, a browser page from any other origin is refused at the upgrade
 * (cross-site WebSocket hijacking). Clients that send no Origin (apps, servers) are not browsers and pass.
 */
@Singleton
public class OriginCheck {

    private final Set<String> allowed;

    public OriginCheck(ChatConfig config) {
        this.allowed = Set.copyOf(config.allowedOrigins().orElse(List.of()));
    }

    boolean allows(String origin) {
        return allowed.isEmpty() || origin == null || allowed.contains(origin);
    }
}

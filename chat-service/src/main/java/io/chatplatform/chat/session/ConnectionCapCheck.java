package io.chatplatform.chat.session;

import io.chatplatform.chat.config.ChatConfig;
import jakarta.inject.Singleton;

/** A user may hold at most the configured number of connections on this instance. */
@Singleton
public class ConnectionCapCheck {

    private final Connections connections;
    private final int max;

    public ConnectionCapCheck(Connections connections, ChatConfig config) {
        this.connections = connections;
        this.max = config.limits().maxConnectionsPerUser();
    }

    boolean allowsAnother(long uid) {
        return connections.countOfUser(uid) < max;
    }
}

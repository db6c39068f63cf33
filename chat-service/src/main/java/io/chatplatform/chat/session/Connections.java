package io.chatplatform.chat.session;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The WebSockets open on this instance, by connection id and by user. */
@Singleton
public class Connections {

    private final Map<String, ClientConnection> byId = new ConcurrentHashMap<>();
    private final Map<Long, Set<ClientConnection>> byUser = new ConcurrentHashMap<>();

    public Connections(MeterRegistry metrics) {
        metrics.gauge("chat.connections.open", byId, Map::size);
    }

    void add(ClientConnection connection) {
        byId.put(connection.id(), connection);
        byUser.computeIfAbsent(connection.uid(), uid -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    void remove(ClientConnection connection) {
        byId.remove(connection.id());
        byUser.computeIfPresent(connection.uid(), (uid, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    public ClientConnection byId(String id) {
        return byId.get(id);
    }

    public Collection<ClientConnection> ofUser(long uid) {
        Set<ClientConnection> set = byUser.get(uid);
        return set == null ? List.of() : set;
    }

    public int countOfUser(long uid) {
        return ofUser(uid).size();
    }

    public Collection<ClientConnection> all() {
        return byId.values();
    }

    public Set<Long> users() {
        return byUser.keySet();
    }
}

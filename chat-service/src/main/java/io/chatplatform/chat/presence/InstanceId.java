package io.chatplatform.chat.presence;

import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.UUID;

/** This process's instance id: host name plus a random part, so every start is a new instance. */
@Singleton
public class InstanceId {

    private final String value;

    public InstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "");
        } catch (java.io.IOException e) {
            host = "chat";
        }
        if (host.length() > 40) {
            host = host.substring(0, 40);
        }
        this.value = host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}

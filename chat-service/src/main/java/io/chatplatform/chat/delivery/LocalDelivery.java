package io.chatplatform.chat.delivery;

import io.chatplatform.chat.session.ClientConnection;
import io.chatplatform.chat.session.Connections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Writes a frame to the connections open on this instance. */
@Singleton
public class LocalDelivery {

    private final Connections connections;
    private final Counter delivered;
    private final Timer latency;

    public LocalDelivery(Connections connections, MeterRegistry metrics) {
        this.connections = connections;
        this.delivered = metrics.counter("chat.frames.delivered");
        this.latency = Timer.builder("chat.delivery.latency")
                .description("event creation to socket write, per delivered message")
                .publishPercentileHistogram()
                .register(metrics);
    }

    public void deliver(Delivery delivery) {
        long now = System.currentTimeMillis();
        for (Long uid : delivery.uids()) {
            for (ClientConnection connection : connections.ofUser(uid)) {
                if (!connection.id().equals(delivery.exceptConnection())) {
                    connection.send(delivery.frame());
                    delivered.increment();
                    if (delivery.sentAtMillis() > 0) {
                        latency.record(Duration.ofMillis(Math.max(0, now - delivery.sentAtMillis())));
                    }
                }
            }
        }
    }
}

package io.chatplatform.history.ingest;

import io.chatplatform.history.config.HistoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the ingest loop: DOWN when a partition consumer thread died or made no progress (not even a
 * retry) for {@code history.ingest.stall-timeout}. A MongoDB or Redis outage keeps it UP (the loops are
 * alive and retrying; readiness reports the stores), so an outage never makes Kubernetes restart the pods.
 */
@Liveness
@ApplicationScoped
public class IngestLivenessCheck implements HealthCheck {

    private final IngestService ingest;
    private final HistoryConfig config;

    public IngestLivenessCheck(IngestService ingest, HistoryConfig config) {
        this.ingest = ingest;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("history-ingest").withData("enabled", ingest.enabled());
        if (!ingest.enabled()) {
            return response.up().build();
        }
        if (ingest.consumers().isEmpty()) {
            // still creating indexes / waiting for MongoDB, or shutting down
            return response.withData("state", ingest.starting() ? "starting" : "stopped").status(ingest.starting()).build();
        }
        boolean up = true;
        long now = System.currentTimeMillis();
        long stall = config.ingest().stallTimeout().toMillis();
        for (PartitionConsumer c : ingest.consumers()) {
            PartitionConsumer.State state = c.state();
            String shown = state.name();
            if (state == PartitionConsumer.State.FAILED || (!c.isAlive() && state != PartitionConsumer.State.STOPPED)) {
                up = false;
                shown = "DEAD";
            } else if (state != PartitionConsumer.State.STOPPED && now - c.lastProgressAt() > stall) {
                up = false;
                shown = "STALLED";
            }
            response.withData(c.stream(), shown);
        }
        return response.status(up).build();
    }
}

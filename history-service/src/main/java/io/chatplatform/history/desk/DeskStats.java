package io.chatplatform.history.desk;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Desk figures over the tickets opened in {@code [from, to)} (epoch ms). Averages are null when nothing was measured;
 * an agent's figures count the tickets they held last (closed by them, or still open with them).
 */
@RegisterForReflection
public record DeskStats(long from, long to, long tickets, long closed, long waiting, Long avgFirstResponseMs, long slaBreaches,
        Double csatAvg, List<AgentStats> agents) {

    @RegisterForReflection
    public record AgentStats(long agent, long closed, Long avgFirstResponseMs, Double csatAvg) {
    }
}

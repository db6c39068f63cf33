package io.chatplatform.history.desk;

import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.history.http.Roles;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/history/desk/stats")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "desk")
public class DeskStatsResource {

    private static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

    private final DeskStatsQuery stats;
    private final JsonWebToken jwt;

    public DeskStatsResource(DeskStatsQuery stats, JsonWebToken jwt) {
        this.stats = stats;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Desk figures over the tickets opened in [from, to): desk staff (AGENT, ADMIN) only")
    @APIResponse(responseCode = "200", description = "{from, to, tickets, closed, waiting, avgFirstResponseMs, slaBreaches, "
            + "csatAvg, agents: [{agent, closed, avgFirstResponseMs, csatAvg}]}")
    @APIResponse(responseCode = "400", description = "INVALID_FIELD: from/to not epoch ms or ISO-8601 instants, or from after to")
    @APIResponse(responseCode = "403", description = "FORBIDDEN: not desk staff")
    public DeskStats get(
            @Parameter(description = "start, inclusive: epoch ms or ISO-8601 instant; default to minus 30 days") @QueryParam("from") String from,
            @Parameter(description = "end, exclusive: epoch ms or ISO-8601 instant; default now") @QueryParam("to") String to) {
        if (!Roles.isDeskStaff(AuthenticatedDevice.of(jwt))) {
            throw ApiException.forbidden("desk statistics are for desk staff");
        }
        long end = instant("to", to, System.currentTimeMillis());
        long start = instant("from", from, end - DEFAULT_PERIOD.toMillis());
        if (start > end) {
            throw ApiException.invalid("from must not be after to");
        }
        return stats.compute(start, end);
    }

    private static long instant(String name, String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value) : Instant.parse(value).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiException.invalid(name + " must be epoch milliseconds or an ISO-8601 instant");
        }
    }
}

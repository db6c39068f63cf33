package io.chatplatform.history.consultation;

import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.http.KeysetCursor;
import io.chatplatform.history.http.QueryParams;
import io.chatplatform.history.http.Roles;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/history/consultations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "consultations")
public class ConsultationResource {

    private final ConsultationQueries queries;
    private final HistoryConfig config;
    private final JsonWebToken jwt;

    public ConsultationResource(ConsultationQueries queries, HistoryConfig config, JsonWebToken jwt) {
        this.queries = queries;
        this.config = config;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Desk tickets, newest first: agents and admins see all, users their own")
    @APIResponse(responseCode = "200", description = "{items, nextCursor?}")
    @APIResponse(responseCode = "400", description = "INVALID_FIELD: bad state, limit or cursor")
    @APIResponse(responseCode = "401", description = "missing, invalid, expired or revoked token")
    public ConsultationPage list(
            @Parameter(description = "WAITING, SERVING, TRANSFERRING or CLOSED") @QueryParam("state") String state,
            @Parameter(description = "page size, default 50, clamped to [1, 200]") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        String wanted = null;
        if (state != null && !state.isEmpty()) {
            wanted = state.toUpperCase(Locale.ROOT);
            if (!ConsultationDocument.STATES.contains(wanted)) {
                throw ApiException.invalid("state must be one of " + ConsultationDocument.STATES);
            }
        }
        int n = QueryParams.limit(limit, config.api());
        KeysetCursor after = KeysetCursor.decode(cursor);
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        return queries.list(Roles.isDeskStaff(me) ? null : me.uid(), wanted, n, after);
    }
}

package io.chatplatform.history.conversation;

import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.http.KeysetCursor;
import io.chatplatform.history.http.QueryParams;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/history/conversations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "conversations")
public class ConversationResource {

    private final ConversationQueries queries;
    private final HistoryConfig config;
    private final JsonWebToken jwt;

    public ConversationResource(ConversationQueries queries, HistoryConfig config, JsonWebToken jwt) {
        this.queries = queries;
        this.config = config;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "My conversations, newest activity first, with unread counts")
    @APIResponse(responseCode = "200", description = "A page; nextCursor is present when more follow")
    @APIResponse(responseCode = "400", description = "INVALID_FIELD: bad limit or cursor")
    @APIResponse(responseCode = "401", description = "missing, invalid, expired or revoked token")
    public ConversationPage mine(
            @Parameter(description = "page size, default 50, clamped to [1, 200]") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        int n = QueryParams.limit(limit, config.api());
        KeysetCursor after = KeysetCursor.decode(cursor);
        return queries.mine(AuthenticatedDevice.of(jwt).uid(), n, after);
    }
}

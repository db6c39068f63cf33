package io.chatplatform.history.conversation;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.http.KeysetCursor;
import io.chatplatform.history.http.QueryParams;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.PathParam;
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
    private final ConversationAccess access;
    private final ConversationSettings settings;

    public ConversationResource(ConversationQueries queries, HistoryConfig config, JsonWebToken jwt,
            ConversationAccess access, ConversationSettings settings) {
        this.queries = queries;
        this.access = access;
        this.settings = settings;
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

    @PUT
    @Path("/{conv}/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "My settings of a conversation: mute (a mention of me still notifies), optionally until a time")
    @APIResponse(responseCode = "200", description = "The settings now in force")
    @APIResponse(responseCode = "400", description = "INVALID_FIELD: bad body or mutedUntil")
    @APIResponse(responseCode = "404", description = "no such conversation, or not mine")
    public SettingsView settings(@PathParam("conv") String conv, SettingsView body) {
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        ConversationId id = ConversationId.parse(conv).orElseThrow(() -> ApiException.notFound("no such conversation"));
        if (!access.canRead(me, id)) {
            throw ApiException.notFound("no such conversation");
        }
        if (body == null || body.muted() == null) {
            throw ApiException.invalid("body {muted, mutedUntil?} is required");
        }
        if (body.mutedUntil() != null && body.mutedUntil() <= 0) {
            throw ApiException.invalid("mutedUntil must be epoch milliseconds");
        }
        Long until = body.muted() ? body.mutedUntil() : null;
        settings.put(me.uid(), id.value(), new ConversationSettings.Setting(body.muted(), until));
        return new SettingsView(body.muted(), until);
    }

    /** @param mutedUntil epoch ms; absent or null: muted until unmuted */
    @io.quarkus.runtime.annotations.RegisterForReflection
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    public record SettingsView(Boolean muted, Long mutedUntil) {
    }
}

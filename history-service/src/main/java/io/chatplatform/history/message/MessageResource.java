package io.chatplatform.history.message;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.conversation.ConversationAccess;
import io.chatplatform.history.http.QueryParams;
import io.chatplatform.history.http.Roles;
import io.chatplatform.history.media.MediaUrls;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/history/conversations/{conv}/messages")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "messages")
public class MessageResource {

    private final MessageQueries queries;
    private final ConversationAccess access;
    private final HistoryConfig config;
    private final JsonWebToken jwt;
    private final MediaUrls mediaUrls;

    public MessageResource(MessageQueries queries, ConversationAccess access, HistoryConfig config, JsonWebToken jwt,
            MediaUrls mediaUrls) {
        this.mediaUrls = mediaUrls;
        this.queries = queries;
        this.access = access;
        this.config = config;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "A page of a conversation's messages, ascending by seq",
            description = "No before/after: the newest page. before=S: the page just below seq S (nextBefore is its lowest "
                    + "seq when older messages exist). after=S: the page just above seq S (nextAfter is its highest seq "
                    + "when newer messages exist). Keyset paging on seq; never skips. Messages come in their final state "
                    + "(edited, recalled without content, reactions); after= pages interleave the update items "
                    + "(type: update) in seq order; messages the caller hid are left out.")
    @APIResponse(responseCode = "200", description = "{items, nextBefore?, nextAfter?}")
    @APIResponse(responseCode = "400", description = "INVALID_FIELD: malformed conv, bad number, or both before and after")
    @APIResponse(responseCode = "401", description = "missing, invalid, expired or revoked token")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: no such conversation, or not one the caller may read")
    public MessagePage page(
            @Parameter(description = "conversation id: d.{a}.{b}, g.{gid} or c.{ticket}") @PathParam("conv") String conv,
            @Parameter(description = "only messages with a lower seq") @QueryParam("before") String before,
            @Parameter(description = "only messages with a higher seq (forward sync)") @QueryParam("after") String after,
            @Parameter(description = "page size, default 50, clamped to [1, 200]") @QueryParam("limit") String limit) {
        ConversationId id = QueryParams.conversation(conv);
        Long beforeSeq = QueryParams.seq("before", before);
        Long afterSeq = QueryParams.seq("after", after);
        if (beforeSeq != null && afterSeq != null) {
            throw ApiException.invalid("give before or after, not both");
        }
        int n = QueryParams.limit(limit, config.api());
        AuthenticatedDevice caller = AuthenticatedDevice.of(jwt);
        if (!access.canRead(caller, id)) {
            throw ApiException.notFound("no such conversation");
        }
        MessagePage page = queries.page(id.value(), caller.uid(), beforeSeq, afterSeq, n);
        return (Roles.isDeskStaff(caller) ? page : page.withoutAgentNotes()).withMediaUrls(mediaUrls::fresh);
    }
}

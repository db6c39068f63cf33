package io.chatplatform.history.search;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.history.config.HistoryConfig;
import io.chatplatform.history.conversation.ConversationAccess;
import io.chatplatform.history.http.KeysetCursor;
import io.chatplatform.history.http.QueryParams;
import io.chatplatform.history.http.Roles;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/history/search")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "search")
public class SearchResource {

    private final SearchQueries queries;
    private final ConversationAccess access;
    private final HistoryConfig config;
    private final JsonWebToken jwt;

    public SearchResource(SearchQueries queries, ConversationAccess access, HistoryConfig config, JsonWebToken jwt) {
        this.queries = queries;
        this.access = access;
        this.config = config;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Messages of my conversations that match a query, newest first",
            description = "Case- and accent-insensitive. Chinese, Japanese and Korean match as substrings, other scripts "
                    + "by word prefix; every word of the query must match. Only conversations in my conversation list "
                    + "(groups I am a member of now).")
    @APIResponse(responseCode = "200", description = "{items: [{conv, seq, msgId, from, ts, body, highlights}], nextCursor?}")
    @APIResponse(responseCode = "400", description = "INVALID_FIELD: no q, q too long or without a searchable word, "
            + "malformed conv, limit or cursor")
    @APIResponse(responseCode = "401", description = "missing, invalid, expired or revoked token")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: conv given and not one the caller may read")
    public SearchPage search(
            @Parameter(description = "the words to find") @QueryParam("q") String q,
            @Parameter(description = "only this conversation") @QueryParam("conv") String conv,
            @Parameter(description = "hits per page, default 20, clamped to [1, 50]") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        HistoryConfig.Search search = config.search();
        if (q == null || q.isBlank()) {
            throw ApiException.invalid("q is required");
        }
        if (q.length() > search.maxQueryLength()) {
            throw ApiException.invalid("q is longer than " + search.maxQueryLength() + " characters");
        }
        List<SearchTerms.Part> parts = SearchTerms.parts(SearchText.of(q).folded());
        if (SearchTerms.query(parts).isEmpty()) {
            throw ApiException.invalid("q needs a word of two or more letters or digits, or a Chinese, Japanese or Korean character");
        }
        int n = QueryParams.limit(limit, search.defaultLimit(), search.maxLimit());
        KeysetCursor after = KeysetCursor.decode(cursor);
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        List<String> convs;
        if (conv != null && !conv.isEmpty()) {
            ConversationId id = QueryParams.conversation(conv);
            if (!access.canRead(me, id)) {
                throw ApiException.notFound("no such conversation");
            }
            convs = List.of(id.value());
        } else {
            convs = queries.searchable(me.uid());
        }
        return queries.search(me.uid(), Roles.isDeskStaff(me), convs, parts, n, after);
    }
}

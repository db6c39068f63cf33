package io.chatplatform.history.deadletter;

import io.chatplatform.common.http.ApiException;
import io.chatplatform.history.http.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators' view of the ingest's dead letters (role ADMIN): list them, store them after all. */
@Path("/admin/dead-letters")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class DeadLetterResource {

    private static final Set<String> KINDS = Set.of("malformed", "max-deliveries", "rejected", "conflict");
    private static final int MAX_LIMIT = 1000;

    private final DeadLetterReplay replay;

    public DeadLetterResource(DeadLetterReplay replay) {
        this.replay = replay;
    }

    @GET
    @Operation(summary = "Dead letters, newest first")
    @APIResponse(responseCode = "200", description = "[{id, kind, reason, stream, entryId, event, at, replayedAt?, ...}]")
    public List<DeadLetterView> list(@QueryParam("kind") String kind, @QueryParam("stream") String stream,
            @QueryParam("limit") String limit) {
        return replay.list(kind(kind, false), stream, limit(limit));
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Store one dead letter's event after all (idempotent)")
    @APIResponse(responseCode = "200", description = "{id, result: stored | already-stored}")
    @APIResponse(responseCode = "404", description = "no such dead letter")
    @APIResponse(responseCode = "409", description = "CONFLICT: the event still contradicts what is stored")
    @APIResponse(responseCode = "422", description = "UNPROCESSABLE: the event is malformed or still refused by MongoDB")
    @APIResponse(responseCode = "503", description = "MongoDB unavailable; retry")
    public ReplayResult replayOne(@PathParam("id") String id) {
        return replay.replay(id);
    }

    @POST
    @Path("/replay")
    @Operation(summary = "Replay every not yet replayed dead letter of one kind, optionally of one stream (at most limit, oldest first)")
    @APIResponse(responseCode = "200", description = "[{id, result: stored | already-stored | refused, reason?}]")
    public List<ReplayResult> replayKind(@QueryParam("kind") String kind, @QueryParam("stream") String stream,
            @QueryParam("limit") String limit) {
        return replay.replayAll(kind(kind, true), stream, limit(limit));
    }

    private static String kind(String kind, boolean required) {
        if (kind == null && !required) {
            return null;
        }
        if (kind == null || !KINDS.contains(kind)) {
            throw ApiException.invalid("kind must be one of " + String.join(", ", KINDS.stream().sorted().toList()));
        }
        return kind;
    }

    private static int limit(String limit) {
        if (limit == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n < 1) {
                throw ApiException.invalid("limit must be >= 1");
            }
            return Math.min(n, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("limit must be a number");
        }
    }
}

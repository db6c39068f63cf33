package io.chatplatform.history.desk;

import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.history.http.Roles;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Canned replies for desk staff (AGENT, ADMIN); anyone else gets 403. */
@Path("/desk/replies")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "desk")
public class CannedReplyResource {

    private final CannedReplies replies;
    private final JsonWebToken jwt;

    public CannedReplyResource(CannedReplies replies, JsonWebToken jwt) {
        this.replies = replies;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "The team's canned replies, by shortcut")
    @APIResponse(responseCode = "200", description = "{items: [{id, shortcut, text, updatedBy, updatedAt}]}")
    @APIResponse(responseCode = "403", description = "FORBIDDEN: not desk staff")
    public Map<String, List<CannedReply>> list() {
        staff();
        return Map.of("items", replies.all());
    }

    @POST
    @Operation(summary = "Adds a canned reply {shortcut, text}")
    @APIResponse(responseCode = "201", description = "the reply")
    @APIResponse(responseCode = "400", description = "INVALID_FIELD")
    @APIResponse(responseCode = "403", description = "FORBIDDEN: not desk staff")
    @APIResponse(responseCode = "409", description = "CONFLICT: the shortcut is taken")
    public Response create(CannedReplyInput input) {
        long me = staff();
        return Response.status(Response.Status.CREATED).entity(replies.create(input, me)).build();
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replaces a canned reply's shortcut and text")
    @APIResponse(responseCode = "200", description = "the reply")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "409", description = "CONFLICT: the shortcut is taken")
    public CannedReply update(@PathParam("id") String id, CannedReplyInput input) {
        long me = staff();
        return replies.update(id, input, me);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Removes a canned reply")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public Response delete(@PathParam("id") String id) {
        staff();
        replies.delete(id);
        return Response.noContent().build();
    }

    private long staff() {
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        if (!Roles.isDeskStaff(me)) {
            throw ApiException.forbidden("canned replies are for desk agents");
        }
        return me.uid();
    }
}

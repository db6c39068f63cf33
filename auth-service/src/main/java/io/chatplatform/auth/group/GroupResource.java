package io.chatplatform.auth.group;

import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/groups")
@Authenticated
public class GroupResource {

    private final Groups groups;
    private final JsonWebToken jwt;

    public GroupResource(Groups groups, JsonWebToken jwt) {
        this.groups = groups;
        this.jwt = jwt;
    }

    @POST
    public Response create(GroupRequests.CreateGroup request) {
        if (request == null) {
            throw ApiException.invalid("body {name, members:[uid]} is required");
        }
        GroupView group = groups.create(me(), request.name(), request.members());
        return Response.status(Response.Status.CREATED).entity(group).build();
    }

    @GET
    public List<GroupView> mine() {
        return groups.mine(me());
    }

    @GET
    @Path("/{id}")
    public GroupView get(@PathParam("id") long id) {
        return groups.get(me(), id);
    }

    @POST
    @Path("/{id}/members")
    public GroupView addMembers(@PathParam("id") long id, GroupRequests.AddMembers request) {
        return groups.addMembers(me(), id, request == null ? null : request.members());
    }

    @DELETE
    @Path("/{id}/members/{uid}")
    public GroupView removeMember(@PathParam("id") long id, @PathParam("uid") long uid) {
        return groups.removeMember(me(), id, uid);
    }

    @PUT
    @Path("/{id}")
    public GroupView update(@PathParam("id") long id, GroupRequests.UpdateGroup request) {
        if (request == null) {
            throw ApiException.invalid("body {name?, announcement?, onlyAdminsSend?} is required");
        }
        return groups.update(me(), id, request.name(), request.announcement(), request.onlyAdminsSend());
    }

    @PUT
    @Path("/{id}/members/{uid}/role")
    public GroupView setRole(@PathParam("id") long id, @PathParam("uid") long uid, GroupRequests.SetRole request) {
        if (request == null || request.role() == null) {
            throw ApiException.invalid("body {role: admin|member} is required");
        }
        return groups.setRole(me(), id, uid, request.role());
    }

    @POST
    @Path("/{id}/owner")
    public GroupView transfer(@PathParam("id") long id, GroupRequests.Transfer request) {
        return groups.transfer(me(), id, request == null ? null : request.uid());
    }

    @DELETE
    @Path("/{id}")
    public void dissolve(@PathParam("id") long id) {
        groups.dissolve(me(), id);
    }

    private AuthenticatedDevice me() {
        return AuthenticatedDevice.of(jwt);
    }
}

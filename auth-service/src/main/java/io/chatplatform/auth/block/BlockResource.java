package io.chatplatform.auth.block;

import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** My blocks: a blocked user cannot send me direct messages (chat answers {@code FORBIDDEN}). */
@Path("/auth/blocks")
@Authenticated
public class BlockResource {

    private final Blocks blocks;
    private final JsonWebToken jwt;

    public BlockResource(Blocks blocks, JsonWebToken jwt) {
        this.blocks = blocks;
        this.jwt = jwt;
    }

    @GET
    public List<BlockView> list() {
        return blocks.list(me()).stream()
                .map(b -> new BlockView(b.userId(), b.username(), b.displayName(), b.blockedAt())).toList();
    }

    /** Idempotent: blocking someone twice is one block. */
    @PUT
    @Path("/{uid}")
    public void block(@PathParam("uid") long uid) {
        blocks.block(me(), uid);
    }

    @DELETE
    @Path("/{uid}")
    public void unblock(@PathParam("uid") long uid) {
        if (!blocks.unblock(me(), uid)) {
            throw ApiException.notFound("user " + uid + " is not blocked");
        }
    }

    private long me() {
        return AuthenticatedDevice.of(jwt).uid();
    }

    @RegisterForReflection
    public record BlockView(long userId, String username, String displayName, Instant blockedAt) {
    }
}

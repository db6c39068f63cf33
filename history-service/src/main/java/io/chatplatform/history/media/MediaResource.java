package io.chatplatform.history.media;

import com.mongodb.client.gridfs.GridFSDownloadStream;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.media.MediaUrlSigner;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Uploads and downloads of attachments (see README "Media"). */
@Path("/media")
@Tag(name = "media")
public class MediaResource {

    private static final int NAME_MAX = 255;

    private final MediaStore store;
    private final MediaAccess access;
    private final MediaUrls urls;
    private final UploadRecords records;
    private final SecurityIdentity identity;
    private final JsonWebToken jwt;

    public MediaResource(MediaStore store, MediaAccess access, MediaUrls urls, UploadRecords records,
            SecurityIdentity identity, JsonWebToken jwt) {
        this.records = records;
        this.store = store;
        this.access = access;
        this.urls = urls;
        this.identity = identity;
        this.jwt = jwt;
    }

    @POST
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stores a file (the body is its bytes, streamed)", description = "The type is sniffed from the "
            + "first bytes; the declared Content-Type must agree. Images get width/height and a JPEG thumbnail.")
    @APIResponse(responseCode = "201", description = "{id, mime, size, name, sha256, width?, height?, durationMs?, url, thumbnail?}")
    @APIResponse(responseCode = "400", description = "INVALID_FIELD: empty body, bad name, interrupted upload")
    @APIResponse(responseCode = "413", description = "TOO_LARGE (history.media.max-bytes) or QUOTA_EXCEEDED")
    @APIResponse(responseCode = "415", description = "UNSUPPORTED_MEDIA_TYPE: type not allowed, or declared type disagrees with the bytes")
    @APIResponse(responseCode = "503", description = "UNAVAILABLE: the upload's record for chat-service could not be written to Redis")
    public Response upload(InputStream body, @HeaderParam("Content-Type") String type,
            @HeaderParam("Content-Length") String length, @QueryParam("name") String name) {
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        Long declaredLength = null;
        if (length != null) {
            try {
                declaredLength = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("bad Content-Length");
            }
        }
        MediaFile f = store.upload(me.uid(), type, cleanName(name), declaredLength, body);
        try {
            records.remember(f);
        } catch (RuntimeException e) {
            // without its record chat-service could never attach it: refuse rather than keep an unusable file
            store.delete(f.id());
            throw ApiException.unavailable("the upload could not be registered; retry", 1);
        }
        return Response.status(Response.Status.CREATED).entity(view(f)).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "The file's bytes", description = "Bearer (uploader or a member of a conversation holding a "
            + "message with it) or a signed URL ?exp=&sig=. Range (206), If-None-Match (304).")
    @APIResponse(responseCode = "200", description = "the bytes")
    @APIResponse(responseCode = "206", description = "the requested range")
    @APIResponse(responseCode = "304", description = "If-None-Match matched the ETag")
    @APIResponse(responseCode = "403", description = "FORBIDDEN: the signed URL expired or its signature is wrong")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: no such file, or not one the caller may read")
    @APIResponse(responseCode = "416", description = "RANGE_NOT_SATISFIABLE")
    public Response download(@PathParam("id") String id, @QueryParam("exp") String exp, @QueryParam("sig") String sig,
            @HeaderParam("Range") String range, @HeaderParam("If-None-Match") String ifNoneMatch) {
        MediaFile f = readable(id, exp, sig);
        return serve(f, f, range, ifNoneMatch);
    }

    @GET
    @Path("/{id}/thumbnail")
    @Operation(summary = "The image's JPEG thumbnail (longest side history.media.thumbnail-size)")
    @APIResponse(responseCode = "200", description = "image/jpeg")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: no such file, not readable, or no thumbnail")
    public Response thumbnail(@PathParam("id") String id, @QueryParam("exp") String exp, @QueryParam("sig") String sig,
            @HeaderParam("Range") String range, @HeaderParam("If-None-Match") String ifNoneMatch) {
        MediaFile f = readable(id, exp, sig);
        MediaFile thumb = store.thumbnailOf(f);
        if (thumb == null) {
            throw ApiException.notFound("no thumbnail");
        }
        return serve(f, thumb, range, ifNoneMatch);
    }

    private StoredMedia view(MediaFile f) {
        String id = f.id().toHexString();
        return new StoredMedia(id, f.mime(), f.size(), f.name(), f.sha256(), f.width(), f.height(), f.durationMs(),
                urls.url(id), f.thumbnail() == null ? null : urls.thumbnailUrl(id));
    }

    private MediaFile readable(String id, String exp, String sig) {
        if (exp != null || sig != null) {
            MediaUrlSigner.Check check = urls.check(id, exp, sig);
            if (check != MediaUrlSigner.Check.VALID) {
                throw ApiException.forbidden(check == MediaUrlSigner.Check.EXPIRED ? "the link expired" : "bad signature");
            }
            MediaFile f = ObjectId.isValid(id) ? store.find(new ObjectId(id)) : null;
            if (f == null || f.owner() == null) {
                throw ApiException.notFound("no such file");
            }
            return f;
        }
        if (identity.isAnonymous()) {
            throw ApiException.unauthorized("UNAUTHORIZED", "a bearer token or a signed URL is required");
        }
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        MediaFile f = ObjectId.isValid(id) ? store.find(new ObjectId(id)) : null;
        if (f == null || f.owner() == null || !access.canRead(me, f)) {
            throw ApiException.notFound("no such file");
        }
        return f;
    }

    private Response serve(MediaFile original, MediaFile file, String range, String ifNoneMatch) {
        String etag = file.etag();
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return headers(Response.notModified(), original, file).tag((jakarta.ws.rs.core.EntityTag) null)
                    .header("ETag", etag).build();
        }
        long size = file.size();
        long start = 0;
        long end = size - 1;
        boolean partial = false;
        if (range != null) {
            long[] r = ByteRange.parse(range, size);
            if (r == ByteRange.UNSATISFIABLE) {
                return Response.status(416).header("Content-Range", "bytes */" + size)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new io.chatplatform.common.http.ApiError("RANGE_NOT_SATISFIABLE", "the file has " + size + " bytes"))
                        .build();
            }
            if (r != null) {
                start = r[0];
                end = r[1];
                partial = true;
            }
        }
        long from = start;
        long count = end - start + 1;
        ObjectId id = file.id();
        StreamingOutput body = out -> {
            try (GridFSDownloadStream in = store.open(id)) {
                long skipped = 0;
                while (skipped < from) {
                    long s = in.skip(from - skipped);
                    if (s <= 0) {
                        return;
                    }
                    skipped += s;
                }
                byte[] buf = new byte[64 * 1024];
                long left = count;
                while (left > 0) {
                    int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (r < 0) {
                        break;
                    }
                    out.write(buf, 0, r);
                    left -= r;
                }
            }
        };
        Response.ResponseBuilder b = Response.status(partial ? 206 : 200).entity(body);
        headers(b, original, file).header("ETag", etag).header("Content-Length", count);
        if (partial) {
            b.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        return b.build();
    }

    private static Response.ResponseBuilder headers(Response.ResponseBuilder b, MediaFile original, MediaFile file) {
        String mime = file.mime() == null ? "application/octet-stream" : file.mime();
        b.header("Content-Type", mime.equals("text/plain") ? "text/plain; charset=utf-8" : mime)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "private, max-age=3600")
                .header("Accept-Ranges", "bytes")
                .header("Content-Security-Policy", "default-src 'none'; sandbox");
        if (!MediaTypes.inline(mime)) {
            String name = original.name() == null ? "file" : original.name();
            b.header("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._ -]", "_")
                    + "\"; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String t : ifNoneMatch.split(",")) {
            String s = t.trim();
            if (s.startsWith("W/")) {
                s = s.substring(2);
            }
            if (s.equals("*") || s.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    static String cleanName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.replaceAll("[\\p{Cntrl}/\\\\]", "_").strip();
        if (n.length() > NAME_MAX) {
            throw ApiException.invalid("name is longer than " + NAME_MAX + " characters");
        }
        return n;
    }
}

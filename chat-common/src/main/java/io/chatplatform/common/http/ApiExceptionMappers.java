package io.chatplatform.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into the JSON error body with the right status; never a stack trace.
 * Authentication failures reach these mappers because proactive authentication is off in every service.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder response = body(e.status(), e.code(), e.getMessage());
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated(RuntimeException e) {
        return body(401, "UNAUTHORIZED", "missing, invalid, expired or revoked access token")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(403, "FORBIDDEN", "not allowed for this account").build();
    }

    /** Also replaces quarkus-rest-jackson's own mapper for mismatched input, which answers with an empty body. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, DatabindException.class})
    public Response badJson(JsonProcessingException e) {
        return body(400, "BAD_JSON", "request body is not valid JSON of the expected shape").build();
    }

    /** A Redis pool whose wait queue is full: the service is busy, not broken. */
    @ServerExceptionMapper
    public Response busy(ConnectionPoolTooBusyException e) {
        return api(Saturation.BUSY);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        ApiException unavailable = status >= 500 ? Saturation.of(e) : null;
        if (unavailable != null) {
            return api(unavailable);
        }
        if (status >= 500) {
            LOG.error("request failed", e);
            return body(status, "INTERNAL", "internal error").build();
        }
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException) {
            return badJson((JsonProcessingException) cause);
        }
        return body(status, codeFor(status), messageFor(status)).build();
    }

    @ServerExceptionMapper(priority = Integer.MAX_VALUE)
    public Response unexpected(Throwable e) {
        ApiException unavailable = Saturation.of(e);
        if (unavailable != null) {
            LOG.debugf("answered 503: %s", e);
            return api(unavailable);
        }
        LOG.error("unexpected failure", e);
        return body(500, "INTERNAL", "internal error").build();
    }

    static Response.ResponseBuilder body(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code, message));
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 413 -> "TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> "HTTP_" + status;
        };
    }

    private static String messageFor(int status) {
        return switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this path";
            case 415 -> "send application/json";
            default -> Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase() : "request failed";
        };
    }
}

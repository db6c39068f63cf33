package io.chatplatform.chat.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chatplatform.chat.config.ChatConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /config.json}: what the web client (static files in {@code META-INF/resources}, served at {@code /})
 * needs to find auth-service and history-service ({@code chat.web.*}). Public: it holds only URLs.
 */
@Path("/config.json")
public class WebClientConfigResource {

    private final WebClientConfig body;

    public WebClientConfigResource(ChatConfig config) {
        ChatConfig.Web web = config.web();
        this.body = new WebClientConfig(trimSlash(web.authUrl()), trimSlash(web.historyUrl()),
                web.wsUrl().map(String::strip).filter(s -> !s.isEmpty()).orElse(null));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }

    private static String trimSlash(String url) {
        String value = url.strip();
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebClientConfig(String authUrl, String historyUrl, String wsUrl) {
    }
}

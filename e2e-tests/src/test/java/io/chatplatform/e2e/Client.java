package io.chatplatform.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatplatform.localstack.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a client app does over the public APIs: REST to auth and history, the WebSocket to chat. */
public final class Client {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Platform platform;
    public final String username;
    public final String password;
    public long uid;
    public String token;

    private Client(Platform platform, String username, String password) {
        this.platform = platform;
        this.username = username;
        this.password = password;
    }

    public static Client register(Platform platform, String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        Client client = new Client(platform, name, "password-" + name);
        Response created = client.call("POST", platform.auth, "/auth/register", Map.of("username", name, "password", client.password));
        if (created.status() != 201) {
            throw new AssertionError("register failed: " + created);
        }
        client.uid = created.json().get("id").asLong();
        return client;
    }

    public static Client existing(Platform platform, String username, String password) {
        return new Client(platform, username, password);
    }

    public Client login(String deviceId) {
        Response login = call("POST", platform.auth, "/auth/login", Map.of("username", username, "password", password, "deviceId", deviceId));
        if (login.status() != 200) {
            throw new AssertionError("login failed: " + login);
        }
        token = login.json().get("accessToken").asText();
        uid = login.json().get("userId").asLong();
        return this;
    }

    /** Connects the way a browser does: a one-time ticket in the URL. */
    public WsClient connect() {
        Response issued = call("POST", platform.auth, "/auth/ws-ticket", Map.of());
        if (issued.status() != 200) {
            throw new AssertionError("ws-ticket refused: " + issued);
        }
        String ticket = issued.json().get("ticket").asText();
        return WsClient.connect(URI.create(platform.chatWs + "?ticket=" + ticket), Map.of(), List.of());
    }

    public Response auth(String method, String path, Object body) {
        return call(method, platform.auth, path, body);
    }

    public Response history(String path) {
        return call("GET", platform.history, path, null);
    }

    /** {@code POST /media?name=} on history-service with the file's bytes. */
    public Response upload(byte[] bytes, String type, String name) {
        return raw(HttpRequest.newBuilder(URI.create(platform.history + "/media?name=" + name))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Content-Type", type), true);
    }

    /** A GET on history-service as bytes (a media URL; with this client's bearer when {@code bearer}). */
    public HttpResponse<byte[]> historyBytes(String pathAndQuery, boolean bearer) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.history + pathAndQuery)).GET();
            if (bearer && token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response raw(HttpRequest.Builder request, boolean bearer) {
        try {
            if (bearer && token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response call(String method, URI base, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body);
            }
        }
    }
}

package io.chatplatform.auth.push;

import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.common.session.PushKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Where the calling device session is woken while it has no connection (DESIGN Part 2 "Offline notifications"). */
@Path("/auth/sessions/current/push")
@Authenticated
public class PushResource {

    static final int MAX_TOKEN_LENGTH = 4096;
    private static final Pattern FCM_TOKEN = Pattern.compile("[A-Za-z0-9_:\\-.]{1,4096}");
    private static final Pattern APNS_TOKEN = Pattern.compile("[0-9a-fA-F]{32,200}");

    private final PushRegistrations registrations;
    private final PushConfig config;
    private final JsonWebToken jwt;

    public PushResource(PushRegistrations registrations, PushConfig config, JsonWebToken jwt) {
        this.registrations = registrations;
        this.config = config;
        this.jwt = jwt;
    }

    @PUT
    public PushRegistration register(PushRegistration request) {
        if (request == null || request.provider() == null || request.token() == null) {
            throw ApiException.invalid("body {provider, token} is required; provider is fcm, apns or webhook");
        }
        String provider = request.provider().strip().toLowerCase(Locale.ROOT);
        String token = request.token().strip();
        switch (provider) {
            case PushKeys.FCM -> {
                if (!FCM_TOKEN.matcher(token).matches()) {
                    throw ApiException.invalid("token: an FCM registration token (letters, digits, _ : - .), at most 4096");
                }
            }
            case PushKeys.APNS -> {
                if (!APNS_TOKEN.matcher(token).matches()) {
                    throw ApiException.invalid("token: an APNs device token in hex");
                }
                token = token.toLowerCase(Locale.ROOT);
            }
            case PushKeys.WEBHOOK -> token = webhookUrl(token, config.webhook().allowedHosts().orElse(List.of()));
            default -> throw ApiException.invalid("provider must be fcm, apns or webhook");
        }
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        if (!registrations.register(me.uid(), me.deviceId(), me.jti(), provider, token)) {
            throw ApiException.unauthorized("SESSION_ENDED", "this device's session has ended; log in again");
        }
        return new PushRegistration(provider, token);
    }

    @DELETE
    public void unregister() {
        AuthenticatedDevice me = AuthenticatedDevice.of(jwt);
        registrations.unregister(me.uid(), me.deviceId(), me.jti());
    }

    /** The URL, normalised, when it is http(s) without credentials and its host (and port) is on the allowlist. */
    static String webhookUrl(String url, List<String> allowed) {
        if (url.length() > 2048) {
            throw ApiException.invalid("token: the webhook URL is longer than 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url).normalize();
        } catch (URISyntaxException e) {
            throw ApiException.invalid("token: not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw ApiException.invalid("token: the webhook URL must be http or https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw ApiException.invalid("token: the webhook URL needs a host and no user info or fragment");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (!allowedHost(host, port, allowed)) {
            throw ApiException.invalid("token: the webhook host is not on the operator's allowlist (push.webhook.allowed-hosts)");
        }
        return uri.toString();
    }

    static boolean allowedHost(String host, int port, List<String> allowed) {
        for (String raw : allowed) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            String entryHost = entry;
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(']') < colon) {
                entryHost = entry.substring(0, colon);
                if (!entry.substring(colon + 1).equals(String.valueOf(port))) {
                    continue;
                }
            }
            if (entryHost.startsWith("*.") ? host.endsWith(entryHost.substring(1)) : host.equals(entryHost)) {
                return true;
            }
        }
        return false;
    }

    /** @param token the FCM registration token, the APNs device token (hex) or the webhook URL */
    @RegisterForReflection
    public record PushRegistration(String provider, String token) {
        @Override
        public String toString() {
            return "PushRegistration[provider=" + provider + "]";
        }
    }
}

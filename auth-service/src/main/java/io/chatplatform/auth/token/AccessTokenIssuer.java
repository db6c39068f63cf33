package io.chatplatform.auth.token;

import io.chatplatform.auth.config.AuthConfig;
import io.chatplatform.auth.user.User;
import io.chatplatform.common.session.AccessTokenClaims;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/** Signs access tokens (RS256) with the claims of DESIGN "Identity and tokens". */
@ApplicationScoped
public class AccessTokenIssuer {

    private final SecureRandom random = new SecureRandom();
    private final AuthConfig config;
    private final SigningKeys keys;

    public AccessTokenIssuer(AuthConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    /** A token for a new device session (a login): a new jti. */
    public IssuedToken issue(User user, String deviceId) {
        return issue(user, deviceId, newJti());
    }

    /**
     * A token for the device session {@code jti} (a refresh keeps the session's jti: open WebSockets, which were
     * authenticated with it, stay open; the jti names the device session, the {@code iat}/{@code exp} tell its tokens
     * apart).
     */
    public IssuedToken issue(User user, String deviceId, String jti) {
        Instant now = Instant.now();
        Instant expiresAt = now.plus(config.jwt().lifetime());
        String token = Jwt.claims()
                .issuer(config.jwt().issuer())
                .audience(config.jwt().audience())
                .subject(String.valueOf(user.id))
                .upn(user.username)
                .groups(Set.of(user.role.name()))
                .claim(AccessTokenClaims.DEVICE, deviceId)
                .claim(AccessTokenClaims.TOKEN_USE, AccessTokenClaims.ACCESS)
                .claim("jti", jti)
                .issuedAt(now)
                .expiresAt(expiresAt)
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
        return new IssuedToken(token, jti, expiresAt);
    }

    /** 128 random bits, URL-safe. */
    private String newJti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public record IssuedToken(String token, String jti, Instant expiresAt) {
    }
}

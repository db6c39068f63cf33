package io.chatplatform.auth.token;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;

/** Publishes the token-signing public key so chat and history verify tokens locally. */
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final Jwks jwks;

    public JwksResource(SigningKeys keys) {
        var key = keys.publicKey();
        this.jwks = new Jwks(List.of(new Jwk("RSA", "sig", "RS256", keys.keyId(),
                base64Url(key.getModulus()), base64Url(key.getPublicExponent()))));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Jwks get() {
        return jwks;
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @RegisterForReflection
    public record Jwks(List<Jwk> keys) {
    }

    @RegisterForReflection
    public record Jwk(String kty, String use, String alg, String kid, String n, String e) {
    }
}

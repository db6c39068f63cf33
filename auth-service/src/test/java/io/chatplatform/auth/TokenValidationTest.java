package io.chatplatform.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatplatform.auth.token.SigningKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a token can be wrong gets 401; a correctly forged copy of a live token (positive control) passes. */
@QuarkusTest
class TokenValidationTest {

    @Inject
    SigningKeys keys;

    private Api.Account account;
    private JsonNode live;

    @BeforeEach
    void login() {
        account = Api.newAccount("tok", "phone");
        live = Api.claims(account.token());
    }

    @Test
    void aCopySignedWithTheRealKeyAndRightClaimsPasses() {
        Api.as(claims().sign(keys.privateKey())).get("/auth/me").then().statusCode(200);
    }

    @Test
    void expired() {
        Instant past = Instant.now().minusSeconds(3600);
        String token = claims().issuedAt(past.minusSeconds(60)).expiresAt(past).sign(keys.privateKey());
        rejected(token);
    }

    @Test
    void wrongIssuer() {
        rejected(claims().issuer("https://evil.example").sign(keys.privateKey()));
    }

    @Test
    void wrongAudience() {
        rejected(claims().audience("someone-else").sign(keys.privateKey()));
    }

    @Test
    void notAnAccessToken() {
        rejected(claims().claim("token_use", "refresh").sign(keys.privateKey()));
        rejected(claims().remove("token_use").sign(keys.privateKey()));
    }

    @Test
    void aSignatureValidTokenWhoseDeviceSessionIsNotRegistered() {
        rejected(claims().claim("jti", "never-registered-jti-0000").sign(keys.privateKey()));
        rejected(claims().claim("did", "another-device").sign(keys.privateKey()));
        rejected(claims().remove("did").sign(keys.privateKey()));
    }

    @Test
    void algNone() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Base64.getUrlDecoder().decode(account.token().split("\\.")[1]));
        rejected(header + "." + payload + ".");
        rejected(header + "." + payload);
    }

    @Test
    void hs256SignedWithThePublicKey() {
        byte[] publicPem = ("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.publicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
        rejected(claims().jws().algorithm(SignatureAlgorithm.HS256).sign(new SecretKeySpec(publicPem, "HmacSHA256")));
        rejected(claims().jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(keys.publicKey().getEncoded(), "HmacSHA256")));
    }

    @Test
    void signedByAnotherKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rejected(claims().jws().keyId(keys.keyId()).sign(generator.generateKeyPair().getPrivate()));
    }

    @Test
    void garbage() {
        rejected("garbage");
        rejected("a.b.c");
        rejected(account.token() + "x");
        RestAssured.given().header("Authorization", "Basic dXNlcjpwYXNz").get("/auth/me").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer").get("/auth/me").then().statusCode(401);
    }

    @Test
    void jwksPublishesTheKeyThatVerifiesOurTokens() throws Exception {
        var jwks = RestAssured.get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys", hasSize(1))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[0].kid", equalTo(Api.header(account.token()).get("kid").asText()))
                .extract().jsonPath();
        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwks.getString("keys[0].n")));
        BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwks.getString("keys[0].e")));
        RSAPublicKey published = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));

        String[] parts = account.token().split("\\.");
        var verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(published);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertEquals(true, verifier.verify(Base64.getUrlDecoder().decode(parts[2])));
    }

    /** The live token's claims, ready to be altered and re-signed. */
    private JwtClaimsBuilder claims() {
        return Jwt.claims()
                .issuer(live.get("iss").asText())
                .audience(live.get("aud").isArray() ? live.get("aud").get(0).asText() : live.get("aud").asText())
                .subject(live.get("sub").asText())
                .upn(live.get("upn").asText())
                .groups(Set.of(live.get("groups").get(0).asText()))
                .claim("did", live.get("did").asText())
                .claim("jti", live.get("jti").asText())
                .claim("token_use", "access")
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(600));
    }

    private static void rejected(String token) {
        RestAssured.given().header("Authorization", "Bearer " + token).get("/auth/me")
                .then().statusCode(401).body("error", equalTo("UNAUTHORIZED"));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

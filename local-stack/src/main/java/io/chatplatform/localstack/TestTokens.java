package io.chatplatform.localstack;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Access tokens for the tests of services that only verify tokens (chat, history), shaped exactly like
 * auth-service's (DESIGN "Identity and tokens"). One RSA key pair per test JVM; its public key is written to a
 * file the service under test is pointed at with {@link #verifierConfig()}. A token only passes the
 * device-session check once the test registers it: {@code HSET auth:sess:{uid} <deviceId> <jti>}.
 */
public final class TestTokens {

    public static final String ISSUER = "https://chat.local/auth";
    public static final String AUDIENCE = "chat-platform";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static KeyPair keys;
    private static Path publicKeyFile;

    private TestTokens() {
    }

    /** Config for the service under test: verify with this JVM's test key, issuer and audience. */
    public static synchronized Map<String, String> verifierConfig() {
        ensureKeys();
        return Map.of(
                "mp.jwt.verify.publickey.location", publicKeyFile.toAbsolutePath().toString(),
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }

    /**
     * This JVM's signing key as a PKCS#8 PEM file (written next to the public key on first call), for a real
     * auth-service that must sign with the key the other services were pointed at ({@code auth.jwt.private-key-location},
     * with {@code auth.jwt.public-key-location} = {@code verifierConfig()}'s public key): the benchmark's storm.
     */
    public static synchronized Path privateKeyPem() {
        ensureKeys();
        Path pem = publicKeyFile.resolveSibling("private-" + ProcessHandle.current().pid() + ".pem");
        try {
            if (!Files.exists(pem)) {
                String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded());
                Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
            }
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signed access token; register {@link Issued#jti()} as the device's session to make it valid. */
    public static Issued issue(long uid, String username, String deviceId, String role) {
        return issue(uid, username, deviceId, role, Duration.ofHours(1));
    }

    public static synchronized Issued issue(long uid, String username, String deviceId, String role, Duration lifetime) {
        ensureKeys();
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String jti = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = Instant.now();
        String token = Jwt.claims()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(String.valueOf(uid))
                .upn(username)
                .groups(Set.of(role))
                .claim("did", deviceId)
                .claim("token_use", "access")
                .claim("jti", jti)
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .jws().keyId("test")
                .sign(keys.getPrivate());
        return new Issued(token, uid, deviceId, jti);
    }

    /** Redis key of the device-session hash (mirrors chat-common's SessionKeys, which this module cannot see). */
    public static String sessionKey(long uid) {
        return "auth:sess:{" + uid + "}";
    }

    private static void ensureKeys() {
        if (keys != null) {
            return;
        }
        // Kept in files per JVM, not only in memory: Quarkus loads this class in more than one class loader
        // (test resources vs. tests) and all copies must sign with the key the service verifies with.
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-jwt"));
            long pid = ProcessHandle.current().pid();
            publicKeyFile = dir.resolve("public-" + pid + ".pem");
            Path privateKeyFile = dir.resolve("private-" + pid + ".der");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            synchronized (String.class) { // a JVM-wide lock shared by every class loader's copy
                if (!Files.exists(privateKeyFile)) {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    KeyPair pair = generator.generateKeyPair();
                    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded());
                    Files.writeString(publicKeyFile, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
                    Files.write(privateKeyFile, pair.getPrivate().getEncoded());
                }
                PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateKeyFile)));
                keys = new KeyPair(null, privateKey);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Issued(String token, long uid, String deviceId, String jti) {
    }
}

package io.chatplatform.auth.token;

import io.chatplatform.auth.config.AuthConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * The RSA key pair that signs access tokens. Read from PEM files (secrets in production); dev and test
 * generate the pair on first start when {@code auth.jwt.generate-missing} is on. Loaded at startup, so a
 * missing key fails the start, not the first login.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final RSAPrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;

    public SigningKeys(AuthConfig config) {
        Path privatePath = Path.of(config.jwt().privateKeyLocation());
        Path publicPath = Path.of(config.jwt().publicKeyLocation());
        try {
            if (config.jwt().generateMissing() && !Files.exists(privatePath)) {
                generate(privatePath, publicPath);
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            this.privateKey = (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(readPem(privatePath)));
            this.publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(readPem(publicPath)));
            this.keyId = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded())).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JWT signing keys (auth.jwt.*-key-location)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("invalid JWT signing keys (need PKCS#8 / X.509 PEM RSA keys)", e);
        }
    }

    public RSAPrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    private static void generate(Path privatePath, Path publicPath) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        for (Path path : new Path[] {privatePath, publicPath}) {
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
        }
        // public first: the private key's presence marks a complete pair
        writePem(publicPath, "PUBLIC KEY", pair.getPublic().getEncoded());
        Path tmp = privatePath.resolveSibling(privatePath.getFileName() + ".tmp");
        writePem(tmp, "PRIVATE KEY", pair.getPrivate().getEncoded());
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, privatePath);
        LOG.infof("generated a JWT signing key pair at %s", privatePath.toAbsolutePath().getParent());
    }

    private static void writePem(Path path, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(path, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    private static byte[] readPem(Path path) throws IOException {
        String pem = Files.readString(path);
        String base64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }
}

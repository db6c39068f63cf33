package io.chatplatform.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    Jwt jwt();

    Admin admin();

    LoginLimit loginLimit();

    /** At most this many devices per user; a new device evicts the one that logged in longest ago. */
    OptionalInt maxDevices();

    @WithDefault("12")
    int bcryptCost();

    @WithDefault("30s")
    Duration ticketTtl();

    @WithDefault("500")
    int maxGroupMembers();

    interface Jwt {
        String issuer();

        String audience();

        @WithDefault("12h")
        Duration lifetime();

        /** Folder of the default key locations below. */
        String keyDir();

        /** PEM (PKCS#8) RSA private key used to sign access tokens. */
        String privateKeyLocation();

        /** PEM (X.509 SubjectPublicKeyInfo) RSA public key, published as JWKS. */
        String publicKeyLocation();

        /** Dev and test only: create a 2048-bit key pair at the locations above if none exists. */
        @WithDefault("false")
        boolean generateMissing();
    }

    interface Admin {
        /** The admin account bootstrapped at startup; required in production. */
        Optional<String> username();

        Optional<String> password();
    }

    interface LoginLimit {
        /** Failed logins allowed per username within {@link #window()}. */
        @WithDefault("5")
        int perUser();

        /** Failed logins allowed per client address within {@link #window()}. */
        @WithDefault("20")
        int perAddress();

        @WithDefault("15m")
        Duration window();
    }
}

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

    RegisterLimit registerLimit();

    /** Refresh tokens (DESIGN Part 2 "Accounts"). */
    Refresh refresh();

    /** Rebuilding the Redis membership mirrors from MySQL. */
    Mirror mirror();

    /** At most this many devices per user; a new device evicts the one that logged in longest ago. */
    OptionalInt maxDevices();

    @WithDefault("12")
    int bcryptCost();

    /** The bounded pool bcrypt hashes and verifications run on. */
    Bcrypt bcrypt();

    @WithDefault("30s")
    Duration ticketTtl();

    @WithDefault("500")
    int maxGroupMembers();

    interface Jwt {
        String issuer();

        String audience();

        /**
         * Lifetime of an access token (a duration); clients renew it with their refresh token. Env
         * {@code AUTH_JWT_LIFETIME}.
         */
        @WithDefault("15m")
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

    interface Bcrypt {
        /**
         * Hashes or verifications at once (each keeps a core busy); default the number of available processors. Env
         * {@code AUTH_BCRYPT_MAX_CONCURRENT}.
         */
        OptionalInt maxConcurrent();

        /** Longest a request waits for its turn before it is answered 503 (a duration). Env {@code AUTH_BCRYPT_MAX_WAIT}. */
        @WithDefault("2s")
        Duration maxWait();

        /** Requests that may wait at once; more are answered 503 at once. Env {@code AUTH_BCRYPT_MAX_WAITING}. */
        @WithDefault("64")
        int maxWaiting();
    }

    interface Refresh {
        /**
         * How long a refresh token stays usable after it was issued (a duration); every use issues the next one with the
         * full lifetime again (sliding expiry). Env {@code AUTH_REFRESH_LIFETIME}.
         */
        @WithDefault("30d")
        Duration lifetime();

        /** How often expired refresh tokens are deleted from MySQL (a duration). Env {@code AUTH_REFRESH_CLEANUP_INTERVAL}. */
        @WithDefault("1h")
        Duration cleanupInterval();
    }

    interface Admin {
        /** The admin account bootstrapped at startup; required in production. */
        Optional<String> username();

        Optional<String> password();
    }

    interface LoginLimit {
        /**
         * Failed logins allowed per username from one client address within {@link #window()}; then that (username,
         * address) pair is refused, the user's other addresses are not. Env {@code AUTH_LOGIN_LIMIT_PER_USER}.
         */
        @WithDefault("5")
        int perUser();

        /** Failed logins allowed per client address (any usernames) within {@link #window()}. */
        @WithDefault("20")
        int perAddress();

        /**
         * Failed logins allowed per username from all addresses together within {@link #window()}; beyond it only
         * addresses the user logged in from within {@link #knownAddressTtl()} may try. Env
         * {@code AUTH_LOGIN_LIMIT_PER_USER_UNKNOWN_ADDRESSES}.
         */
        @WithDefault("50")
        int perUserUnknownAddresses();

        /** How long an address stays known for a user after a successful login from it (a duration). */
        @WithDefault("30d")
        Duration knownAddressTtl();

        /** Known addresses kept per user (the most recent). */
        @WithDefault("10")
        int maxKnownAddresses();

        /** Length of the fixed counting windows (a duration). */
        @WithDefault("15m")
        Duration window();
    }

    interface RegisterLimit {
        /**
         * Registration attempts allowed per client address (an IPv6 /64 counts as one) within {@link #window()}; more
         * get 429 with Retry-After. 0 turns the limit off. Env {@code AUTH_REGISTER_LIMIT_PER_ADDRESS}.
         */
        @WithDefault("10")
        int perAddress();

        /** Length of the fixed counting window (a duration). Env {@code AUTH_REGISTER_LIMIT_WINDOW}. */
        @WithDefault("1m")
        Duration window();
    }

    interface Mirror {
        /**
         * How often each instance checks that {@code auth:mirror:complete} exists (a duration, e.g. {@code 5s}); when it
         * is missing Redis lost its data and every mirror is rebuilt. Env {@code AUTH_MIRROR_CHECK_INTERVAL}.
         */
        @WithDefault("5s")
        Duration checkInterval();

        /**
         * How often each instance rewrites every mirror from MySQL, stale entries removed (a duration, e.g. {@code 10m}).
         * Env {@code AUTH_MIRROR_RECONCILE_INTERVAL}.
         */
        @WithDefault("10m")
        Duration reconcileInterval();

        /** Groups (and users) read from MySQL per query during a rebuild. Env {@code AUTH_MIRROR_PAGE_SIZE}. */
        @WithDefault("500")
        int pageSize();

        /**
         * Lifetime of {@code group:{gid}:absent}, the answer to a rebuild request for a group that does not exist (a
         * duration). Env {@code AUTH_MIRROR_ABSENT_TTL}.
         */
        @WithDefault("60s")
        Duration absentTtl();
    }
}

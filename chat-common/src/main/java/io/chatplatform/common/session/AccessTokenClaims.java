package io.chatplatform.common.session;

/** Claim names and values that make a JWT an access token of this platform. */
public final class AccessTokenClaims {

    /** Device id the token was issued to. */
    public static final String DEVICE = "did";
    /** Token kind; only {@link #ACCESS} passes authentication. */
    public static final String TOKEN_USE = "token_use";
    public static final String ACCESS = "access";

    private AccessTokenClaims() {
    }
}

-- Refresh tokens (DESIGN Part 2 "Accounts"): only a SHA-256 of each token is stored. One unused token per (user,
-- device); used ones stay until they expire, so presenting one again is recognised as theft.
CREATE TABLE refresh_tokens (
    token_hash  CHAR(64)     NOT NULL,
    user_id     BIGINT       NOT NULL,
    device_id   VARCHAR(64)  NOT NULL,
    -- the device session (access-token jti) the token keeps alive; a refresh re-creates it in Redis when lost
    session_jti VARCHAR(64)  NOT NULL,
    user_agent  VARCHAR(255) NULL,
    ip          VARCHAR(64)  NULL,
    created_at  DATETIME(3)  NOT NULL,
    expires_at  DATETIME(3)  NOT NULL,
    used_at     DATETIME(3)  NULL,
    PRIMARY KEY (token_hash),
    KEY ix_refresh_tokens_device (user_id, device_id),
    KEY ix_refresh_tokens_expiry (expires_at),
    CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

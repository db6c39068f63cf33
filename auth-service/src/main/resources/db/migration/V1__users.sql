CREATE TABLE users (
    id            BIGINT      NOT NULL AUTO_INCREMENT,
    -- case-insensitive: "Alice" and "alice" are the same account name
    username      VARCHAR(32) NOT NULL COLLATE utf8mb4_general_ci,
    password_hash VARCHAR(100) NOT NULL,
    display_name  VARCHAR(64) NOT NULL,
    role          VARCHAR(16) NOT NULL,
    created_at    DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_users_username UNIQUE (username),
    CONSTRAINT ck_users_role CHECK (role IN ('USER', 'AGENT', 'ADMIN'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

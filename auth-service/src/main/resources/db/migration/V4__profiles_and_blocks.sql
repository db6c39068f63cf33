-- Profiles, disabled and deleted accounts (DESIGN Part 2 "Accounts"). Only additions: existing rows keep working.
ALTER TABLE users
    ADD COLUMN avatar      VARCHAR(64) NULL,
    ADD COLUMN disabled    BOOLEAN     NOT NULL DEFAULT FALSE,
    -- a deleted account keeps its row (id and username stay reserved, messages stay attributed) without profile data
    ADD COLUMN deleted_at  DATETIME(3) NULL;

-- user_id blocked blocked_id: blocked_id cannot send direct messages to user_id
CREATE TABLE user_blocks (
    user_id    BIGINT      NOT NULL,
    blocked_id BIGINT      NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (user_id, blocked_id),
    CONSTRAINT fk_blocks_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_blocks_blocked FOREIGN KEY (blocked_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

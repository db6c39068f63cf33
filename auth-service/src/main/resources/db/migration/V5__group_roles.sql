-- Group roles and settings (DESIGN Part 2 "Accounts", Groups). Only additions: existing groups keep working (their
-- members are plain members, the owner stays chat_groups.owner_id).
ALTER TABLE chat_groups
    ADD COLUMN announcement     VARCHAR(1000) NULL,
    ADD COLUMN only_admins_send BOOLEAN       NOT NULL DEFAULT FALSE,
    -- a dissolved group keeps its row and members (former members read its history) and accepts no changes
    ADD COLUMN dissolved_at     DATETIME(3)   NULL;

-- 'admin' or 'member'; the owner is chat_groups.owner_id
ALTER TABLE group_members
    ADD COLUMN role VARCHAR(8) NOT NULL DEFAULT 'member';

-- 023_notifications: the player's notification inbox (issue #16).
-- Rows are produced from outbox rows by actors/notifications; source_key is
-- the producing event's idempotency key (e.g. "badge:<badgeId>",
-- "challenge.ended:<challengeId>", "broadcast:<id>"), so a replayed outbox
-- row never stores a notification twice.
-- Forward-only: a later change is a new numbered file, never an edit here.
CREATE TABLE notifications (
    id         uuid        PRIMARY KEY,
    player_id  uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    source_key text        NOT NULL CHECK (length(source_key) BETWEEN 1 AND 256),
    title      text        NOT NULL,
    body       text        NOT NULL DEFAULT '',
    data       jsonb       NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    UNIQUE (player_id, source_key)
);
-- The inbox reads newest first, optionally unread only.
CREATE INDEX notifications_inbox_idx ON notifications (player_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (player_id) WHERE read_at IS NULL;

-- Per-kind delivery choices. No row means the defaults: in-app on, email
-- off (email is opt-in). An in-app opt-out keeps the worker from storing
-- (and alerting) that kind; admin broadcasts cannot be muted.
CREATE TABLE notification_preferences (
    player_id  uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    in_app     boolean     NOT NULL DEFAULT true,
    email      boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (player_id, kind)
);

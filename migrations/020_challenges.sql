-- 020_challenges: challenges (a daily one per UTC day and scheduled ones
-- admins create), the attempts players take at them, and what each
-- attempt scored. A challenge's board is the leaderboard (mode, 'challenge',
-- id) in leaderboard_records, period_standings and period_roots, like any
-- board period.
-- Forward-only: a later change is a new numbered file, never an edit here.

CREATE TABLE challenges (
    -- The id is the challenge board's period and an on-chain root's period
    -- (a Cairo short string): at most 31 bytes, lowercase, slash-free.
    -- A daily challenge's id is 'daily-YYYY-MM-DD', so the key alone makes
    -- its generation happen once.
    id           text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,30}$'),
    kind         text        NOT NULL CHECK (kind IN ('daily', 'scheduled')),
    title        text        NOT NULL CHECK (length(title) BETWEEN 1 AND 80),
    description  text        NOT NULL DEFAULT '' CHECK (length(description) <= 512),
    mode         text        NOT NULL REFERENCES game_modes (name),
    -- The rules every attempt is played with: the mode's rules when the
    -- challenge was created or last edited, with its overrides applied (the
    -- same JSON shape as game_mode_versions.rules), so editing the mode
    -- later changes no challenge.
    rules        jsonb       NOT NULL CHECK (jsonb_typeof(rules) = 'object'),
    overrides    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(overrides) = 'object'),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    max_attempts integer     NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
    reward_badge uuid        REFERENCES badges (id),
    -- The best reward_top ranks at the end win (and get reward_badge).
    reward_top   integer     NOT NULL DEFAULT 1 CHECK (reward_top BETWEEN 1 AND 1000),
    created_by   uuid,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    cancelled_at timestamptz,
    -- Set once by the scheduler's start and end jobs (each idempotent by
    -- id): started_at when challenge:started was announced, ended_at when the
    -- board was frozen and challenge:ended announced.
    started_at   timestamptz,
    ended_at     timestamptz,
    CHECK (ends_at > starts_at)
);

CREATE INDEX challenges_window_idx ON challenges (starts_at, ends_at);
-- The scheduler's jobs look only at challenges whose start or end job has
-- not run yet.
CREATE INDEX challenges_start_due_idx ON challenges (starts_at) WHERE started_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX challenges_end_due_idx ON challenges (ends_at) WHERE ended_at IS NULL AND cancelled_at IS NULL;

-- One row per attempt taken. The primary key holds the attempt limit across
-- nodes: two sockets racing for a player's last attempt insert the same
-- attempt number and one of them conflicts.
CREATE TABLE challenge_attempts (
    challenge_id text        NOT NULL REFERENCES challenges (id),
    player_id    uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    attempt      integer     NOT NULL CHECK (attempt >= 1),
    session_id   uuid        NOT NULL UNIQUE,
    taken_at     timestamptz NOT NULL,
    -- Set when the attempt's game is committed (NULL: still playing, or
    -- its game never finished, which still used the attempt).
    score        bigint,
    finished_at  timestamptz,
    PRIMARY KEY (challenge_id, player_id, attempt)
);

-- A session created for a challenge attempt names it, so a session grain
-- re-activated on another node plays the challenge's rules and its result
-- reaches the challenge's board.
ALTER TABLE sessions ADD COLUMN challenge_id text REFERENCES challenges (id);

-- What badge criteria count: challenges a player completed (finished at
-- least one attempt of, at its end) and won (ranked within its reward_top
-- at its end). Written by the challenge end job, once per (challenge,
-- player).
CREATE TABLE challenge_results (
    challenge_id text    NOT NULL REFERENCES challenges (id),
    player_id    uuid    NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    rank         integer NOT NULL CHECK (rank >= 1),
    score        bigint  NOT NULL,
    won          boolean NOT NULL,
    PRIMARY KEY (challenge_id, player_id)
);
CREATE INDEX challenge_results_player_idx ON challenge_results (player_id);

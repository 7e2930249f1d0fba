-- 001_init: accounts, tokens, modes, sessions, results, leaderboards, outbox.
-- Forward-only: a later change is a new numbered file, never an edit here.

CREATE TABLE players (
    id         uuid        PRIMARY KEY,
    username   text        NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
    role       text        NOT NULL DEFAULT 'player' CHECK (role IN ('player', 'moderator', 'admin')),
    created_at timestamptz NOT NULL DEFAULT now()
);
-- Usernames are unique regardless of case so "Mole" cannot impersonate "mole".
CREATE UNIQUE INDEX players_username_lower_key ON players (lower(username));

CREATE TABLE guest_devices (
    device_id  text        PRIMARY KEY CHECK (length(device_id) BETWEEN 1 AND 256),
    player_id  uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guest_devices_player_idx ON guest_devices (player_id);

CREATE TABLE player_stats (
    player_id    uuid   PRIMARY KEY REFERENCES players (id) ON DELETE CASCADE,
    games_played bigint NOT NULL DEFAULT 0,
    best_score   bigint NOT NULL DEFAULT 0,
    total_score  bigint NOT NULL DEFAULT 0
) WITH (fillfactor = 80); -- room for HOT updates: every finished game updates these rows

CREATE TABLE refresh_tokens (
    id         uuid        PRIMARY KEY,
    family_id  uuid        NOT NULL,
    player_id  uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    rotated_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_player_idx ON refresh_tokens (player_id);

-- Modes are data: durations in integer milliseconds, chances in [0, 1].
CREATE TABLE game_modes (
    name              text             PRIMARY KEY,
    level             text             NOT NULL DEFAULT 'normal' CHECK (level IN ('easy', 'normal', 'hard')),
    rows              integer          NOT NULL CHECK (rows BETWEEN 1 AND 10),
    cols              integer          NOT NULL CHECK (cols BETWEEN 1 AND 10),
    duration_ms       integer          NOT NULL CHECK (duration_ms > 0),
    spawn_interval_ms integer          NOT NULL CHECK (spawn_interval_ms > 0),
    visible_ms        integer          NOT NULL CHECK (visible_ms > 0),
    max_moles_up      integer          NOT NULL CHECK (max_moles_up >= 1),
    hit_points        integer          NOT NULL CHECK (hit_points >= 0),
    golden_chance     double precision NOT NULL DEFAULT 0 CHECK (golden_chance BETWEEN 0 AND 1),
    golden_points     integer          NOT NULL DEFAULT 0 CHECK (golden_points >= 0),
    bomb_chance       double precision NOT NULL DEFAULT 0 CHECK (bomb_chance BETWEEN 0 AND 1),
    bomb_penalty      integer          NOT NULL DEFAULT 0 CHECK (bomb_penalty >= 0),
    countdown_ms      integer          NOT NULL DEFAULT 3000 CHECK (countdown_ms >= 0),
    max_players       integer          NOT NULL DEFAULT 8 CHECK (max_players BETWEEN 1 AND 8),
    active            boolean          NOT NULL DEFAULT true,
    CHECK (golden_chance + bomb_chance <= 1)
);

-- creator_id and player ids carry no foreign key: sessions are written by
-- grains on any node and must never fail on an account deleted meanwhile.
CREATE TABLE sessions (
    id          uuid        PRIMARY KEY,
    mode        text        NOT NULL REFERENCES game_modes (name),
    kind        text        NOT NULL CHECK (kind IN ('solo', 'match')),
    join_code   text,
    max_players integer     NOT NULL CHECK (max_players BETWEEN 1 AND 8),
    creator_id  uuid        NOT NULL,
    player_ids  uuid[]      NOT NULL DEFAULT '{}',
    state       text        NOT NULL DEFAULT 'waiting'
                            CHECK (state IN ('waiting', 'countdown', 'running', 'paused', 'finished', 'aborted')),
    epoch       bigint      NOT NULL DEFAULT 1,
    -- The uint64 seed is stored as its int64 bit pattern.
    seed        bigint      NOT NULL,
    snapshot    bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    ended_at    timestamptz,
    snapshot_at timestamptz,
    flagged     boolean     NOT NULL DEFAULT false
) WITH (fillfactor = 80);
-- A join code identifies one open match at a time; codes are reused once the
-- match has started or ended.
CREATE UNIQUE INDEX sessions_open_join_code_key ON sessions (join_code)
    WHERE join_code IS NOT NULL AND state IN ('waiting', 'countdown');

CREATE TABLE session_players (
    session_id         uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    player_id          uuid        NOT NULL,
    -- Copied from sessions so history pages are one index range scan.
    session_created_at timestamptz NOT NULL,
    score              bigint      NOT NULL,
    hits               integer     NOT NULL DEFAULT 0,
    misses             integer     NOT NULL DEFAULT 0,
    best_combo         integer     NOT NULL DEFAULT 0,
    flags              integer     NOT NULL DEFAULT 0,
    reached_at         timestamptz NOT NULL,
    PRIMARY KEY (session_id, player_id)
);
CREATE INDEX session_players_history_idx
    ON session_players (player_id, session_created_at DESC, session_id DESC);

-- Best score per player per board period; ties keep the earlier achieved_at.
CREATE TABLE leaderboard_records (
    board       text        NOT NULL,
    period      text        NOT NULL,
    player_id   uuid        NOT NULL,
    username    text        NOT NULL,
    score       bigint      NOT NULL,
    achieved_at timestamptz NOT NULL,
    session_id  uuid        NOT NULL,
    PRIMARY KEY (board, period, player_id)
) WITH (fillfactor = 80);

-- Follow-up work written in the result's transaction; (topic, key) makes
-- every producer idempotent.
CREATE TABLE outbox (
    id           bigserial   PRIMARY KEY,
    topic        text        NOT NULL,
    key          text        NOT NULL,
    payload      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    available_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    UNIQUE (topic, key)
);
CREATE INDEX outbox_pending_idx ON outbox (topic, id) WHERE processed_at IS NULL;

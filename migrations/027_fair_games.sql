-- 027_fair_games: provably fair games (issue #17, docs/FAIRNESS.md).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- The game's 32 random seed bytes, from which every mole follows. NULL for
-- sessions stored before it, which play from the uint64 seed column. Secret
-- until the game is over: the API shows only its commitment before then.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS game_seed bytea
    CHECK (game_seed IS NULL OR length(game_seed) = 32);

-- The replay of a finished ranked game (GET /api/v1/sessions/{id}/replay):
-- its canonical encoding, DEFLATE-compressed (actors/session/game
-- PackReplay; the layout is docs/FAIRNESS.md §6). Written once, in the
-- transaction that commits the result; never updated.
CREATE TABLE IF NOT EXISTS session_replays (
    session_id uuid        PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    replay     bytea       NOT NULL,
    created_at timestamptz NOT NULL
);

-- 027_fair_games: provably fair games (issue #17, docs/FAIRNESS.md).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- The game's 32 random seed bytes, from which every mole follows. NULL for
-- sessions stored before it, which play from the uint64 seed column. Secret
-- until the game is over: the API shows only its commitment before then.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS game_seed bytea
    CHECK (game_seed IS NULL OR length(game_seed) = 32);

-- 029_leaf_replays: period leaves commit to the replay of the game that set
-- each standing (issue #17 point 5; chain/merkle leaf encoding v2).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- SHA-256 of the replay's canonical bytes (the replayHash of
-- GET /sessions/{id}/replay), computed by the session when it packs the
-- replay and written with it. NULL for replays stored before this
-- migration: a period freeze hashes those from their stored bytes.
ALTER TABLE session_replays ADD COLUMN replay_hash bytea
    CHECK (replay_hash IS NULL OR length(replay_hash) = 32);

-- The leaf encoding a root was built with. Roots frozen before this
-- migration are v1 (rank, player, score) and keep verifying as v1; the
-- scheduler freezes new ones as v2 (those plus the replay hash).
ALTER TABLE period_roots ADD COLUMN leaf_version smallint NOT NULL DEFAULT 1
    CHECK (leaf_version IN (1, 2));

-- The game that set each frozen standing and its replay hash, as a v2 leaf
-- commits to them. session_id is NULL in v1 periods; replay_hash is NULL
-- when the game has no replay (unranked, legacy) and in v1 periods: a v2
-- leaf then carries 32 zero bytes.
ALTER TABLE period_standings ADD COLUMN session_id uuid;
ALTER TABLE period_standings ADD COLUMN replay_hash bytea
    CHECK (replay_hash IS NULL OR length(replay_hash) = 32);

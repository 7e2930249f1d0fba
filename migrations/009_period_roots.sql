-- 009_period_roots: the frozen final standings of each closed leaderboard
-- period and the Poseidon Merkle root over them (chain/merkle) that the
-- chain writer submits to the leaderboard contract.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- Written once per (board, period), in the same transaction as its root:
-- the standings a root commits to never change after the close. rank is
-- 1-based and follows actors/leaderboard/standings (score desc, then who got there
-- first, then player id), so ranks are distinct.
CREATE TABLE period_standings (
    board       text        NOT NULL,
    period      text        NOT NULL,
    rank        integer     NOT NULL CHECK (rank >= 1),
    player_id   uuid        NOT NULL,
    score       bigint      NOT NULL CHECK (score >= 0),
    achieved_at timestamptz NOT NULL,
    PRIMARY KEY (board, period, player_id),
    UNIQUE (board, period, rank)
);

-- One root per period: the primary key makes a takeover that re-freezes the
-- same period a no-op, so a published root never changes. status follows
-- the chain writer (pending until it exists); tx_hash is set on submission.
CREATE TABLE period_roots (
    board      text        NOT NULL,
    period     text        NOT NULL,
    root       text        NOT NULL CHECK (root ~ '^0x[0-9a-f]{1,64}$'),
    leaf_count integer     NOT NULL CHECK (leaf_count >= 1),
    status     text        NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'submitted', 'accepted', 'failed')),
    tx_hash    text,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (board, period)
);

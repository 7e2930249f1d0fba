-- 008_mints: requests to mint earned badges as NFTs on a chain.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- A mint request is written in the same transaction as the award of a
-- mintable badge to a player with a linked wallet (StarkNet preferred over
-- Stellar, then the oldest link). The chain writer drains pending requests
-- oldest first and moves each through pending -> submitted -> accepted |
-- failed. token_id is derived from (badge, player) by the application
-- (persistence.MintTokenID), and the unique key below means one badge can
-- never yield a second request, hence never a second token, for a player.
-- Requests cascade with their badge and player, like the awards they follow.
CREATE TABLE mint_requests (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    player_id  uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    badge_id   uuid        NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    chain      text        NOT NULL CHECK (chain IN ('starknet', 'stellar')),
    recipient  text        NOT NULL CHECK (length(recipient) BETWEEN 1 AND 128),
    token_id   text        NOT NULL CHECK (token_id ~ '^0x[0-9a-f]{32}$'),
    status     text        NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'submitted', 'accepted', 'failed')),
    reason     text        NOT NULL DEFAULT '',
    tx_hash    text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (badge_id, player_id)
);
-- The chain writer's queue: requests of a status, oldest first.
CREATE INDEX mint_requests_queue_idx ON mint_requests (status, created_at, id);
-- A player's mints, newest first.
CREATE INDEX mint_requests_player_idx ON mint_requests (player_id, created_at DESC);

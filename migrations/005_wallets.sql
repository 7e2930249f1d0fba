-- 005_wallets: blockchain wallets proven to belong to players.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- A wallet (chain, address) belongs to one player; a player may link
-- several. The player row stays the identity, so a guest that links a wallet
-- keeps its id and with it its games, standings and stats. Addresses are
-- stored normalized by the application (StarkNet: lowercase 0x and 64 hex
-- digits; Stellar: the G… strkey), which the checks below pin down.
CREATE TABLE player_wallets (
    chain     text        NOT NULL CHECK (chain IN ('starknet', 'stellar')),
    address   text        NOT NULL,
    player_id uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    linked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chain, address),
    CHECK (
        (chain = 'starknet' AND address ~ '^0x[0-9a-f]{64}$') OR
        (chain = 'stellar' AND address ~ '^G[A-Z2-7]{55}$')
    )
);
CREATE INDEX player_wallets_player_idx ON player_wallets (player_id, linked_at);

-- 010_mint_txs: the signed transactions of the chain writer, persisted
-- before they are sent, so a new leader finds what the previous one may
-- have broadcast and never signs a second transaction for the same mints.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- One row per signed INVOKE. payload is the exact broadcast body (bytes,
-- not jsonb: a rebroadcast must be byte-identical). status: pending while
-- it may still land; accepted or reverted once final; dropped when the
-- node refused it before accepting it (its nonce was never consumed), so
-- its requests went back to pending. lease/epoch record which leadership
-- of the chain writer's singleton lease signed it.
CREATE TABLE mint_txs (
    hash       text        PRIMARY KEY CHECK (hash ~ '^0x[0-9a-f]{1,64}$'),
    nonce      bigint      NOT NULL CHECK (nonce >= 0),
    max_fee    text        NOT NULL DEFAULT '',
    payload    bytea       NOT NULL,
    status     text        NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'accepted', 'reverted', 'dropped')),
    reason     text        NOT NULL DEFAULT '',
    lease      text        NOT NULL,
    epoch      bigint      NOT NULL CHECK (epoch >= 1),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
-- In-flight transactions of a writer, oldest nonce first.
CREATE INDEX mint_txs_inflight_idx ON mint_txs (lease, nonce) WHERE status = 'pending';
-- mint_requests.tx_hash ('' until sent) names the carrying transaction.
CREATE INDEX mint_requests_tx_idx ON mint_requests (tx_hash) WHERE tx_hash <> '';

-- 011_chain_txs: the chain writer's journal carries period roots as well as
-- mints, replacements of stuck transactions, and the outcome of each root.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- A transaction carries either mint requests (mint_requests.tx_hash names
-- it) or one period root (root_board, root_period). Several transactions
-- of a lease may share a nonce: a stuck one is replaced by a copy paying a
-- higher fee. At most one of them can land; when one is final the others
-- become 'dropped' with the reason "superseded by <hash>", and the work
-- (requests or root) always names the newest of them until then.
ALTER TABLE mint_txs
    ADD COLUMN root_board  text,
    ADD COLUMN root_period text,
    ADD CONSTRAINT mint_txs_root_fk FOREIGN KEY (root_board, root_period)
        REFERENCES period_roots (board, period),
    ADD CONSTRAINT mint_txs_root_pair CHECK ((root_board IS NULL) = (root_period IS NULL));
-- Stellar transaction hashes are 64 hex digits without "0x".
ALTER TABLE mint_txs
    DROP CONSTRAINT mint_txs_hash_check,
    ADD CONSTRAINT mint_txs_hash_check CHECK (hash ~ '^(0x[0-9a-f]{1,64}|[0-9a-f]{64})$');
-- The alternatives of one nonce.
CREATE INDEX mint_txs_nonce_idx ON mint_txs (lease, nonce);

-- A root's submission, like a mint request's: pending -> submitted ->
-- accepted | failed, with the reason of a failure and the carrying tx.
ALTER TABLE period_roots
    ADD COLUMN reason     text        NOT NULL DEFAULT '',
    ADD COLUMN updated_at timestamptz;
-- The chain writer's root queue, oldest first.
CREATE INDEX period_roots_queue_idx ON period_roots (status, created_at, board, period);

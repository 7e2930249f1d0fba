-- 018_mode_boards: modes are ranked (results reach the leaderboards) or
-- practice (they reach none), and every leaderboard exists once per ranked
-- mode: a board period is identified by (mode, board, period).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- IF NOT EXISTS: another change may add the same column; both are safe.
ALTER TABLE game_modes ADD COLUMN IF NOT EXISTS ranked boolean NOT NULL DEFAULT true;

-- Mode names travel in board identities ("<mode>/<board>/<period>") and in
-- the short string of an on-chain root ("<mode>/monthly" fits 31 bytes), so
-- they are short, lowercase and slash-free. NOT VALID: an operator's older
-- name is kept; every new or edited row is checked.
ALTER TABLE game_modes
    ADD CONSTRAINT game_modes_name_check CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,22}$') NOT VALID;

-- Live records: each one moves to the board of the mode its game was played
-- in. Before this migration every result reached the same boards, which
-- kept one best per (board, period, player); that best moves to its game's
-- mode, and the bests the player had in other modes were never stored.
ALTER TABLE leaderboard_records ADD COLUMN mode text NOT NULL DEFAULT 'classic';
UPDATE leaderboard_records r SET mode = s.mode
    FROM sessions s
    WHERE s.id = r.session_id AND s.mode <> r.mode;
-- Every writer names the mode: a forgotten one is an error, not classic.
ALTER TABLE leaderboard_records ALTER COLUMN mode DROP DEFAULT;
ALTER TABLE leaderboard_records DROP CONSTRAINT leaderboard_records_pkey;
ALTER TABLE leaderboard_records ADD PRIMARY KEY (mode, board, period, player_id);
DROP INDEX leaderboard_records_written_idx;
CREATE INDEX leaderboard_records_written_idx
    ON leaderboard_records (mode, board, period, written_xid);

-- Closed periods: their standings and roots were frozen (and committed on
-- chain) over the one set of boards there was, which classic continues, so
-- they stay classic's. The default keeps writers that predate per-mode
-- closes on classic's boards.
ALTER TABLE mint_txs DROP CONSTRAINT mint_txs_root_fk;

ALTER TABLE period_standings ADD COLUMN mode text NOT NULL DEFAULT 'classic';
ALTER TABLE period_standings DROP CONSTRAINT period_standings_pkey;
ALTER TABLE period_standings DROP CONSTRAINT period_standings_board_period_rank_key;
ALTER TABLE period_standings ADD PRIMARY KEY (mode, board, period, player_id);
ALTER TABLE period_standings ADD CONSTRAINT period_standings_mode_board_period_rank_key
    UNIQUE (mode, board, period, rank);

ALTER TABLE period_roots ADD COLUMN mode text NOT NULL DEFAULT 'classic';
ALTER TABLE period_roots DROP CONSTRAINT period_roots_pkey;
ALTER TABLE period_roots ADD PRIMARY KEY (mode, board, period);

ALTER TABLE leaderboard_period_closes ADD COLUMN mode text NOT NULL DEFAULT 'classic';
ALTER TABLE leaderboard_period_closes DROP CONSTRAINT leaderboard_period_closes_pkey;
ALTER TABLE leaderboard_period_closes ADD PRIMARY KEY (mode, board, period);

-- A root's transaction names its mode too; a mint's carries the unused
-- default (the key is only checked when root_board is set).
ALTER TABLE mint_txs
    ADD COLUMN root_mode text NOT NULL DEFAULT 'classic',
    ADD CONSTRAINT mint_txs_root_fk FOREIGN KEY (root_mode, root_board, root_period)
        REFERENCES period_roots (mode, board, period);

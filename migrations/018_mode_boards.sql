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

-- A game keeps the rules it was created with, even when it resumes on
-- another node after an admin edited its mode: every edit of a mode's rules
-- makes a new version, each version's rules are kept, and a session names
-- the version it was created with (NULL for sessions older than this).
ALTER TABLE game_modes ADD COLUMN version bigint NOT NULL DEFAULT 1;
CREATE TABLE game_mode_versions (
    name    text   NOT NULL REFERENCES game_modes (name),
    version bigint NOT NULL,
    rules   jsonb  NOT NULL,
    PRIMARY KEY (name, version)
);
INSERT INTO game_mode_versions (name, version, rules)
    SELECT name, version, to_jsonb(m) FROM game_modes m;

-- Whoever edits a mode (an admin, a migration, an operator's SQL), a
-- change of its rules (anything but active) bumps the version, and every
-- version's rules are kept.
CREATE FUNCTION game_modes_bump_version() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) - 'active' - 'version') = (to_jsonb(OLD) - 'active' - 'version') THEN
        NEW.version := OLD.version;
    ELSE
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER game_modes_bump_version
    BEFORE UPDATE ON game_modes
    FOR EACH ROW EXECUTE FUNCTION game_modes_bump_version();

CREATE FUNCTION game_modes_keep_version() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO game_mode_versions (name, version, rules) VALUES (NEW.name, NEW.version, to_jsonb(NEW))
        ON CONFLICT (name, version) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER game_modes_keep_version
    AFTER INSERT OR UPDATE ON game_modes
    FOR EACH ROW EXECUTE FUNCTION game_modes_keep_version();

ALTER TABLE sessions ADD COLUMN mode_version bigint;

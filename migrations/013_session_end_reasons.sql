-- 013_session_end_reasons: an aborted game records why it ended and nothing
-- else; a player whose part of a game does not count (the game was aborted,
-- or the player was banned when it was committed) is marked voided.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- Why a session ended without a result: 'resume_window' (down longer than
-- GAME_RESUME_WINDOW), 'lobby_expired' (a match nobody started within
-- GAME_WAITING_TIMEOUT of its creation), 'banned' (every player was banned
-- when the result was committed). NULL for a finished game and for a session
-- still open.
ALTER TABLE sessions
    ADD COLUMN end_reason text CHECK (end_reason IS NULL OR end_reason ~ '^[a-z_]{1,32}$');

-- Why this player's part of the game counts for nothing (the game's abort
-- reason, or 'banned'); NULL when it counts. A voided row keeps no score:
-- score, hits, misses, best_combo and flags are zero.
ALTER TABLE session_players
    ADD COLUMN voided text CHECK (voided IS NULL OR voided ~ '^[a-z_]{1,32}$');

-- The lobby sweep finds matches left waiting by their creation time.
CREATE INDEX sessions_waiting_created_idx ON sessions (created_at) WHERE state = 'waiting';

-- Committing results reads which of their players are banned; banned
-- accounts are few, so this index keeps that read tiny.
CREATE INDEX players_banned_idx ON players (id) WHERE banned_at IS NOT NULL;

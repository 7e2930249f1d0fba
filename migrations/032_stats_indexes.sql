-- 032_stats_indexes: the admin dashboard and exports read time ranges
-- (GET /admin/stats, /admin/exports/*.csv); these indexes keep each read a
-- range scan instead of a scan of the whole table.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- Finished games by end: active players, games per hour, flagged rate,
-- session length and results.csv.
CREATE INDEX sessions_finished_ended_idx ON sessions (ended_at) WHERE state = 'finished';

-- Players by creation: sign-ups and players.csv (its order, ties by id).
CREATE INDEX players_created_idx ON players (created_at, id);

-- Refresh tokens by issue: a sign-in or refresh makes a player active
-- (index-only with the player id).
CREATE INDEX refresh_tokens_created_idx ON refresh_tokens (created_at, player_id);

-- 017_badge_facts: the badge facts of a player are kept up to date by the
-- result commit instead of being aggregated over the player's whole history
-- on every badge evaluation (that cost grew with every game played).
-- Forward-only: a later change is a new numbered file, never an edit here.
--
-- Upgrading a running cluster: nodes of an older version commit games
-- without these columns, so stop them before this migration runs (a new
-- node refuses to start on an older schema, but an old node already running
-- does not notice a newer one). A game an old node commits afterwards leaves
-- its players' badge facts behind until they are recomputed.

-- The facts count every finished game the player was not voided from,
-- flagged or not, so they are columns of their own: games_played,
-- best_score and total_score keep their meaning (flagged games add nothing
-- to best and total). badge_best and longest_combo are NULL until a game
-- counts, so a maximum stays exact for any score.
--
-- Streak: the player's distinct game days (UTC day of the session's end)
-- are summarized by the first day and the run of consecutive days starting
-- there, the last day and the run ending there, and the longest run. Two
-- summaries whose days do not interleave merge exactly, so the commit
-- merges its batch's summary into the row; a batch reaching back before the
-- stored last day is recomputed from the player's history instead.
ALTER TABLE player_stats
    ADD COLUMN badge_games      bigint  NOT NULL DEFAULT 0,
    ADD COLUMN badge_total      bigint  NOT NULL DEFAULT 0,
    ADD COLUMN badge_best       bigint,
    ADD COLUMN perfect_games    bigint  NOT NULL DEFAULT 0,
    ADD COLUMN longest_combo    integer,
    ADD COLUMN matches_won      bigint  NOT NULL DEFAULT 0,
    ADD COLUMN streak_first_day date,
    ADD COLUMN streak_head_run  integer,
    ADD COLUMN streak_day       date,
    ADD COLUMN streak_run       integer,
    ADD COLUMN longest_streak   integer NOT NULL DEFAULT 0;

-- Best score per mode, with the same counting rule as the facts above.
CREATE TABLE player_mode_bests (
    player_id uuid   NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    mode      text   NOT NULL,
    best      bigint NOT NULL,
    PRIMARY KEY (player_id, mode)
) WITH (fillfactor = 80); -- room for HOT updates when a best improves

-- Backfill from history with the definitions the per-call aggregation used:
-- finished sessions only, voided players excluded; a match is won when the
-- best rival score exists and is strictly lower; a streak is a run of
-- consecutive UTC days of coalesce(ended_at, reached_at).
CREATE TEMPORARY TABLE history_games ON COMMIT DROP AS
SELECT sp.player_id, sp.session_id, sp.score, sp.hits, sp.misses, sp.best_combo, s.mode, s.kind,
    (coalesce(s.ended_at, sp.reached_at) AT TIME ZONE 'UTC')::date AS day
FROM session_players sp JOIN sessions s ON s.id = sp.session_id
WHERE s.state = 'finished' AND sp.voided IS NULL
    AND EXISTS (SELECT 1 FROM players p WHERE p.id = sp.player_id);

WITH totals AS (
    SELECT g.player_id, count(*) AS games, sum(g.score) AS total, max(g.score) AS best,
        count(*) FILTER (WHERE g.hits > 0 AND g.misses = 0) AS perfect, max(g.best_combo) AS combo,
        count(*) FILTER (WHERE g.kind = 'match' AND (SELECT max(o.score) FROM session_players o
            WHERE o.session_id = g.session_id AND o.player_id <> g.player_id) < g.score) AS won
    FROM history_games g GROUP BY g.player_id),
islands AS (
    SELECT player_id, min(day) AS first_day, max(day) AS last_day, count(*)::integer AS n
    FROM (SELECT player_id, day, day - (row_number() OVER (PARTITION BY player_id ORDER BY day))::integer AS island
        FROM (SELECT DISTINCT player_id, day FROM history_games) d) x
    GROUP BY player_id, island),
streaks AS (
    SELECT player_id, min(first_day) AS first_day, (array_agg(n ORDER BY first_day))[1] AS head_run,
        max(last_day) AS last_day, (array_agg(n ORDER BY last_day DESC))[1] AS tail_run, max(n) AS longest
    FROM islands GROUP BY player_id)
INSERT INTO player_stats AS ps (player_id, badge_games, badge_total, badge_best, perfect_games, longest_combo,
    matches_won, streak_first_day, streak_head_run, streak_day, streak_run, longest_streak)
SELECT t.player_id, t.games, t.total, t.best, t.perfect, t.combo, t.won,
    k.first_day, k.head_run, k.last_day, k.tail_run, k.longest
FROM totals t JOIN streaks k USING (player_id)
ON CONFLICT (player_id) DO UPDATE SET
    badge_games = excluded.badge_games, badge_total = excluded.badge_total, badge_best = excluded.badge_best,
    perfect_games = excluded.perfect_games, longest_combo = excluded.longest_combo,
    matches_won = excluded.matches_won, streak_first_day = excluded.streak_first_day,
    streak_head_run = excluded.streak_head_run, streak_day = excluded.streak_day,
    streak_run = excluded.streak_run, longest_streak = excluded.longest_streak;

INSERT INTO player_mode_bests (player_id, mode, best)
SELECT player_id, mode, max(score) FROM history_games GROUP BY player_id, mode;

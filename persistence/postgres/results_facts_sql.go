package postgres

// gameDaysSQL is the distinct UTC days of the counted games of the player
// of the player_stats row ps, the same days badge facts always counted.
const gameDaysSQL = `SELECT DISTINCT (coalesce(s.ended_at, sp.reached_at) AT TIME ZONE 'UTC')::date AS day
	FROM session_players sp JOIN sessions s ON s.id = sp.session_id
	WHERE sp.player_id = ps.player_id AND s.state = 'finished' AND sp.voided IS NULL`

// islandsSQL is the runs of consecutive days of gameDaysSQL (gaps and
// islands: day minus its rank is constant along a run).
const islandsSQL = `SELECT min(day) AS first_day, max(day) AS last_day, count(*)::integer AS n
	FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS island FROM (` + gameDaysSQL + `) d) x
	GROUP BY island`

// joinedRunSQL is the run the stored last run and the batch's first run
// make together when the batch starts on the stored last day or the next.
const joinedRunSQL = `(ps.streak_run + excluded.streak_head_run - 1 + (excluded.streak_first_day - ps.streak_day))`

// upsertStatsSQL merges each player's share of the call into player_stats
// and returns the players whose batch reached back before their stored last
// game day. Summaries of day sets that do not interleave merge exactly
// (joinedRunSQL); for a batch that reaches back (a game of another session
// that ended earlier committing later, or a late retry after a node failure)
// the runs are marked NULL here, never guessed, and recomputeStreaksSQL
// recomputes them from history in the same transaction. Unknown players get
// no row (the foreign key would otherwise fail the whole batch for one bad
// id).
const upsertStatsSQL = `WITH up AS (
INSERT INTO player_stats AS ps (player_id, games_played, best_score, total_score, badge_games, badge_total, badge_best,
	perfect_games, longest_combo, matches_won, streak_first_day, streak_head_run, streak_day, streak_run, longest_streak)
SELECT u.player_id, u.games, u.best, u.total, u.games, u.badge_total, u.badge_best, u.perfect, u.combo, u.won,
	u.first_day, u.head_run, u.last_day, u.tail_run, u.longest
FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::int[],
	$9::bigint[], $10::date[], $11::int[], $12::date[], $13::int[], $14::int[])
	AS u(player_id, games, best, total, badge_total, badge_best, perfect, combo, won, first_day, head_run, last_day,
		tail_run, longest)
WHERE EXISTS (SELECT 1 FROM players p WHERE p.id = u.player_id)
ORDER BY u.player_id
ON CONFLICT (player_id) DO UPDATE SET
	games_played = ps.games_played + excluded.games_played,
	best_score = greatest(ps.best_score, excluded.best_score),
	total_score = ps.total_score + excluded.total_score,
	badge_games = ps.badge_games + excluded.badge_games,
	badge_total = ps.badge_total + excluded.badge_total,
	badge_best = greatest(ps.badge_best, excluded.badge_best),
	perfect_games = ps.perfect_games + excluded.perfect_games,
	longest_combo = greatest(ps.longest_combo, excluded.longest_combo),
	matches_won = ps.matches_won + excluded.matches_won,
	streak_first_day = least(ps.streak_first_day, excluded.streak_first_day),
	streak_day = greatest(ps.streak_day, excluded.streak_day),
	streak_head_run = CASE WHEN ps.streak_day IS NULL THEN excluded.streak_head_run
		WHEN excluded.streak_first_day < ps.streak_day THEN NULL
		WHEN excluded.streak_first_day - ps.streak_day <= 1
			AND ps.streak_head_run = ps.streak_day - ps.streak_first_day + 1 THEN ` + joinedRunSQL + `
		ELSE ps.streak_head_run END,
	streak_run = CASE WHEN ps.streak_day IS NULL THEN excluded.streak_run
		WHEN excluded.streak_first_day < ps.streak_day THEN NULL
		WHEN excluded.streak_first_day - ps.streak_day <= 1
			AND excluded.streak_run = excluded.streak_day - excluded.streak_first_day + 1 THEN ` + joinedRunSQL + `
		ELSE excluded.streak_run END,
	longest_streak = CASE WHEN excluded.streak_first_day - ps.streak_day BETWEEN 0 AND 1
		THEN greatest(ps.longest_streak, excluded.longest_streak, ` + joinedRunSQL + `)
		ELSE greatest(ps.longest_streak, excluded.longest_streak) END
RETURNING ps.player_id, ps.streak_run)
SELECT player_id::text FROM up WHERE streak_run IS NULL`

// recomputeStreaksSQL recomputes the streak summary of players from their
// history. It runs as a statement of its own after upsertStatsSQL, whose row
// locks it already holds: its snapshot is taken after every commit that
// touched those rows before this one, so no concurrently committed game day
// is missed (a subquery inside the upsert would see the upsert's older
// snapshot).
const recomputeStreaksSQL = `UPDATE player_stats ps SET
	(streak_first_day, streak_head_run, streak_day, streak_run, longest_streak) = (
		SELECT min(r.first_day), (array_agg(r.n ORDER BY r.first_day))[1],
			max(r.last_day), (array_agg(r.n ORDER BY r.last_day DESC))[1], coalesce(max(r.n), 0)
		FROM (` + islandsSQL + `) r)
WHERE ps.player_id = ANY($1::uuid[])`

// upsertModeBestsSQL raises each player's best per mode; an unchanged best
// writes nothing.
const upsertModeBestsSQL = `INSERT INTO player_mode_bests AS b (player_id, mode, best)
SELECT u.player_id, u.mode, u.best FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS u(player_id, mode, best)
WHERE EXISTS (SELECT 1 FROM players p WHERE p.id = u.player_id)
ORDER BY u.player_id, u.mode
ON CONFLICT (player_id, mode) DO UPDATE SET best = excluded.best WHERE excluded.best > b.best`

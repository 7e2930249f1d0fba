package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.StatsStore = (*Store)(nil)

// Every statement below reads a time range through an index of migration
// 032 (finished sessions by end, players by creation, refresh tokens by
// creation) or mint_requests_queue_idx; none scans a whole table. $1 is
// now, $2, $3, $4 are now minus a day, a week, a month.

// activeSQL counts players seen in each window: a finished game (its end)
// or a refresh token issued (a sign-in or a refresh), their latest of
// either deciding the windows they count in.
const activeSQL = `WITH seen AS (
	SELECT sp.player_id, s.ended_at AS at
	FROM sessions s JOIN session_players sp ON sp.session_id = s.id
	WHERE s.state = 'finished' AND s.ended_at >= $4 AND s.ended_at < $1
	UNION ALL
	SELECT player_id, created_at FROM refresh_tokens WHERE created_at >= $4 AND created_at < $1
), last AS (SELECT player_id, max(at) AS at FROM seen GROUP BY player_id)
SELECT count(*) FILTER (WHERE at >= $2), count(*) FILTER (WHERE at >= $3), count(*) FROM last`

const signupsSQL = `SELECT count(*) FILTER (WHERE created_at >= $2), count(*) FILTER (WHERE created_at >= $3), count(*)
FROM players WHERE created_at >= $4 AND created_at < $1`

// gamesPerHourSQL buckets the last day's finished games by mode and hour
// since $2, with their summed length in milliseconds.
const gamesPerHourSQL = `SELECT mode, floor(extract(epoch FROM ended_at - $2::timestamptz) / 3600)::int, count(*),
	coalesce(sum(extract(epoch FROM ended_at - coalesce(started_at, created_at)) * 1000), 0)::bigint
FROM sessions WHERE state = 'finished' AND ended_at >= $2 AND ended_at < $1
GROUP BY 1, 2`

// flaggedSQL counts counted results and flagged ones over the last day
// and week; a flag is joined on its unique (session, player).
const flaggedSQL = `SELECT count(*) FILTER (WHERE s.ended_at >= $2), count(f.id) FILTER (WHERE s.ended_at >= $2),
	count(*), count(f.id)
FROM sessions s JOIN session_players sp ON sp.session_id = s.id
LEFT JOIN flags f ON f.session_id = sp.session_id AND f.player_id = sp.player_id
WHERE s.state = 'finished' AND s.ended_at >= $3 AND s.ended_at < $1 AND sp.voided IS NULL`

const mintQueueSQL = `SELECT chain, count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'submitted'),
	count(*) FILTER (WHERE status = 'failed'), min(created_at) FILTER (WHERE status = 'pending')
FROM mint_requests WHERE status IN ('pending', 'submitted', 'failed') GROUP BY chain`

// mintChains are the chains the dashboard always lists (the column's check).
var mintChains = []string{"starknet", "stellar"}

// AdminStats implements persistence.StatsStore.
func (s *Store) AdminStats(ctx context.Context, now time.Time) (persistence.AdminStats, error) {
	defer observe("admin_stats", time.Now())
	st := persistence.AdminStats{At: now, HoursFrom: now.Add(-persistence.StatsDay)}
	args := []any{now, now.Add(-persistence.StatsDay), now.Add(-persistence.StatsWeek), now.Add(-persistence.StatsMonth)}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			a, g := &st.Active, &st.Signups
			if err := tx.QueryRow(ctx, activeSQL, args...).Scan(&a.Day, &a.Week, &a.Month); err != nil {
				return fmt.Errorf("active players: %w", err)
			}
			if err := tx.QueryRow(ctx, signupsSQL, args...).Scan(&g.Day, &g.Week, &g.Month); err != nil {
				return fmt.Errorf("sign-ups: %w", err)
			}
			fd, fw := &st.FlaggedDay, &st.FlaggedWeek
			if err := tx.QueryRow(ctx, flaggedSQL, args[:3]...).
				Scan(&fd.Results, &fd.Flagged, &fw.Results, &fw.Flagged); err != nil {
				return fmt.Errorf("flagged rate: %w", err)
			}
			if err := readGamesPerHour(ctx, tx, &st, args[:2]); err != nil {
				return err
			}
			return readMintQueue(ctx, tx, &st)
		})
	if err != nil {
		return persistence.AdminStats{}, mapErr("admin stats", err)
	}
	return st, nil
}

// readGamesPerHour fills GamesPerHour and the session length figures.
func readGamesPerHour(ctx context.Context, tx pgx.Tx, st *persistence.AdminStats, args []any) error {
	rows, err := tx.Query(ctx, gamesPerHourSQL, args...)
	if err != nil {
		return fmt.Errorf("games per hour: %w", err)
	}
	defer rows.Close()
	st.GamesPerHour = map[string][]int{}
	for rows.Next() {
		var (
			mode        string
			hour, games int
			totalMs     int64
		)
		if err := rows.Scan(&mode, &hour, &games, &totalMs); err != nil {
			return fmt.Errorf("games per hour: %w", err)
		}
		if hour < 0 || hour >= persistence.StatsHours {
			continue // cannot happen given the range; never index out of it
		}
		if st.GamesPerHour[mode] == nil {
			st.GamesPerHour[mode] = make([]int, persistence.StatsHours)
		}
		st.GamesPerHour[mode][hour] += games
		st.SessionGames += games
		st.SessionTotal += time.Duration(totalMs) * time.Millisecond
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("games per hour: %w", err)
	}
	return nil
}

// readMintQueue fills MintQueue, one entry per chain in mintChains order.
func readMintQueue(ctx context.Context, tx pgx.Tx, st *persistence.AdminStats) error {
	rows, err := tx.Query(ctx, mintQueueSQL)
	if err != nil {
		return fmt.Errorf("mint queue: %w", err)
	}
	defer rows.Close()
	byChain := map[string]persistence.MintQueue{}
	for rows.Next() {
		var (
			q      persistence.MintQueue
			oldest *time.Time
		)
		if err := rows.Scan(&q.Chain, &q.Pending, &q.Submitted, &q.Failed, &oldest); err != nil {
			return fmt.Errorf("mint queue: %w", err)
		}
		if oldest != nil {
			q.OldestPending = *oldest
		}
		byChain[q.Chain] = q
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("mint queue: %w", err)
	}
	for _, c := range mintChains {
		q := byChain[c]
		q.Chain = c
		st.MintQueue = append(st.MintQueue, q)
	}
	return nil
}

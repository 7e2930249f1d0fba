package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.StandingChanges = (*Store)(nil)

// markSQL is the oldest transaction still running: every transaction with a
// lower id has ended, so its writes are visible to any later statement.
const markSQL = `SELECT pg_snapshot_xmin(pg_current_snapshot())::text`

// standingsSinceSQL reads the entries written by transactions at or after
// $4 (leaderboard_records_written_idx); $4 = 0 reads them all.
const standingsSinceSQL = `SELECT player_id::text, username, score, achieved_at
	FROM leaderboard_records
	WHERE mode = $1 AND board = $2 AND period = $3 AND written_xid >= $4::text::xid8`

// StandingsSince implements persistence.StandingChanges. The mark is taken
// before the entries are read, so a transaction that commits in between is
// read now or, at the latest, by the next call.
func (s *Store) StandingsSince(ctx context.Context, key persistence.BoardKey, since persistence.StandingMark,
	fn func(persistence.Standing) error,
) (persistence.StandingMark, error) {
	defer observe("standings_since", time.Now())
	op := "standings " + key.String()
	var text string
	if err := s.pool.QueryRow(ctx, markSQL).Scan(&text); err != nil {
		return 0, mapErr(op+": mark", err)
	}
	mark, err := strconv.ParseUint(text, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: mark %q: %w", op, text, err)
	}
	rows, err := s.pool.Query(ctx, standingsSinceSQL, key.Mode, key.Board, key.Period, strconv.FormatUint(uint64(since), 10))
	if err != nil {
		return 0, mapErr(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st persistence.Standing
		if err := rows.Scan(&st.PlayerID, &st.Username, &st.Score, &st.AchievedAt); err != nil {
			return 0, fmt.Errorf("%s: %w", op, err)
		}
		if err := fn(st); err != nil {
			return 0, fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	return persistence.StandingMark(mark), nil
}

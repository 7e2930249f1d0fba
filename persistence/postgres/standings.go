package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// EachStanding implements persistence.StandingStore. Rows stream from one
// query, so a large board is never held in memory twice.
func (s *Store) EachStanding(ctx context.Context, board, period string, fn func(persistence.Standing) error) error {
	defer observe("each_standing", time.Now())
	rows, err := s.pool.Query(ctx, `SELECT player_id::text, username, score, achieved_at
		FROM leaderboard_records WHERE board = $1 AND period = $2`, board, period)
	if err != nil {
		return mapErr("standings "+board+"/"+period, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st persistence.Standing
		if err := rows.Scan(&st.PlayerID, &st.Username, &st.Score, &st.AchievedAt); err != nil {
			return fmt.Errorf("standings %s/%s: %w", board, period, err)
		}
		if err := fn(st); err != nil {
			return fmt.Errorf("standings %s/%s: %w", board, period, err)
		}
	}
	if err := rows.Err(); err != nil {
		return mapErr("standings "+board+"/"+period, err)
	}
	return nil
}

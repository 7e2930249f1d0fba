package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// EachStanding implements persistence.StandingStore. Rows stream from one
// query, so a large board is never held in memory twice.
func (s *Store) EachStanding(ctx context.Context, key persistence.BoardKey, fn func(persistence.Standing) error) error {
	defer observe("each_standing", time.Now())
	rows, err := s.pool.Query(ctx, `SELECT player_id::text, username, score, achieved_at
		FROM leaderboard_records WHERE mode = $1 AND board = $2 AND period = $3`, key.Mode, key.Board, key.Period)
	if err != nil {
		return mapErr("standings "+key.String(), err)
	}
	defer rows.Close()
	for rows.Next() {
		var st persistence.Standing
		if err := rows.Scan(&st.PlayerID, &st.Username, &st.Score, &st.AchievedAt); err != nil {
			return fmt.Errorf("standings %s: %w", key, err)
		}
		if err := fn(st); err != nil {
			return fmt.Errorf("standings %s: %w", key, err)
		}
	}
	if err := rows.Err(); err != nil {
		return mapErr("standings "+key.String(), err)
	}
	return nil
}

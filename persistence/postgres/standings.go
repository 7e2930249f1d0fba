package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// eachStandingSQL reads a board period's records with the replay hash of
// the game that set each (a freeze commits to it): one primary-key probe
// of session_replays per record. A replay stored before its hash was
// (migration 029) comes whole, for the freeze to hash.
const eachStandingSQL = `SELECT lr.player_id::text, lr.username, lr.score, lr.achieved_at, lr.session_id::text,
	sr.replay_hash, CASE WHEN sr.replay_hash IS NULL THEN sr.replay END
FROM leaderboard_records lr LEFT JOIN session_replays sr ON sr.session_id = lr.session_id
WHERE lr.mode = $1 AND lr.board = $2 AND lr.period = $3`

// EachStanding implements persistence.StandingStore. Rows stream from one
// query, so a large board is never held in memory twice.
func (s *Store) EachStanding(ctx context.Context, key persistence.BoardKey, fn func(persistence.Standing) error) error {
	defer observe("each_standing", time.Now())
	rows, err := s.pool.Query(ctx, eachStandingSQL, key.Mode, key.Board, key.Period)
	if err != nil {
		return mapErr("standings "+key.String(), err)
	}
	defer rows.Close()
	for rows.Next() {
		var st persistence.Standing
		if err := rows.Scan(&st.PlayerID, &st.Username, &st.Score, &st.AchievedAt, &st.SessionID,
			&st.ReplayHash, &st.UnhashedReplay); err != nil {
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

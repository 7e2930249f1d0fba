package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// takeUnalertedSQL marks the player's oldest unread, never alerted
// notifications alerted and returns them. The row locks (SKIP LOCKED) make
// two nodes taking at once split the rows instead of both sending them.
const takeUnalertedSQL = `UPDATE notifications SET alerted_at = $3
WHERE id IN (SELECT id FROM notifications
	WHERE player_id = $1 AND alerted_at IS NULL AND read_at IS NULL
	ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
RETURNING ` + notificationCols

// TakeUnalerted implements persistence.NotificationStore.
func (s *Store) TakeUnalerted(ctx context.Context, playerID string, limit int) ([]persistence.Notification, error) {
	defer observe("take_unalerted", time.Now())
	if !validID(playerID) || limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, takeUnalertedSQL, playerID, limit, s.stamp())
	if err != nil {
		return nil, mapErr("take unalerted of "+playerID, err)
	}
	out, err := pgx.CollectRows(rows, scanNotification)
	if err != nil {
		return nil, mapErr("take unalerted of "+playerID, err)
	}
	sortOldestFirst(out)
	return out, nil
}

// MarkAlerted implements persistence.NotificationStore.
func (s *Store) MarkAlerted(ctx context.Context, ids []string) error {
	defer observe("mark_alerted", time.Now())
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if validID(id) {
			valid = append(valid, id)
		}
	}
	if len(valid) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `UPDATE notifications SET alerted_at = $2
		WHERE id = ANY($1::uuid[]) AND alerted_at IS NULL`, valid, s.stamp())
	return mapErr(fmt.Sprintf("mark %d notifications alerted", len(valid)), err)
}

// PeriodRankBatch implements persistence.NotificationStore.
func (s *Store) PeriodRankBatch(ctx context.Context, key persistence.BoardKey, afterRank, limit int,
) ([]persistence.PeriodStanding, error) {
	defer observe("period_rank_batch", time.Now())
	if limit <= 0 {
		return []persistence.PeriodStanding{}, nil
	}
	return s.standingsOf(ctx, fmt.Sprintf("period ranks of %s after %d", key, afterRank),
		`SELECT `+periodStandingCols+` FROM period_standings
		WHERE mode = $1 AND board = $2 AND period = $3 AND rank > $4 ORDER BY rank LIMIT $5`,
		key.Mode, key.Board, key.Period, afterRank, limit)
}

// sortOldestFirst orders ns by creation, then id (RETURNING has no order).
func sortOldestFirst(ns []persistence.Notification) {
	slices.SortFunc(ns, func(a, b persistence.Notification) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// ClaimOutbox implements persistence.OutboxStore. One statement locks the
// oldest available rows with FOR UPDATE SKIP LOCKED and pushes their
// available_at past the lease, so concurrent claimers never get the same row
// and a crashed worker's rows come back when the lease ends. attempts counts
// claims, including this one.
func (s *Store) ClaimOutbox(ctx context.Context, topic string, limit int, lease time.Duration) ([]persistence.OutboxItem, error) {
	defer observe("claim_outbox", time.Now())
	if limit <= 0 || lease <= 0 {
		return nil, errors.New("claim outbox: limit and lease must be positive")
	}
	now := s.stamp()
	rows, err := s.pool.Query(ctx, `UPDATE outbox SET available_at = $3, attempts = attempts + 1
		WHERE id IN (SELECT id FROM outbox
			WHERE topic = $1 AND processed_at IS NULL AND available_at <= $4
			ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING id, topic, key, payload, attempts, created_at`, topic, limit, now.Add(lease), now)
	if err != nil {
		return nil, mapErr("claim outbox "+topic, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.OutboxItem, error) {
		var it persistence.OutboxItem
		err := r.Scan(&it.ID, &it.Topic, &it.Key, &it.Payload, &it.Attempts, &it.CreatedAt)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox %s: %w", topic, err)
	}
	// RETURNING has no order; callers rely on oldest first.
	slices.SortFunc(items, func(a, b persistence.OutboxItem) int { return cmp.Compare(a.ID, b.ID) })
	return items, nil
}

// CompleteOutbox implements persistence.OutboxStore.
func (s *Store) CompleteOutbox(ctx context.Context, ids []int64) error {
	defer observe("complete_outbox", time.Now())
	if len(ids) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `UPDATE outbox SET processed_at = $2 WHERE id = ANY($1) AND processed_at IS NULL`,
		ids, s.stamp())
	return mapErr("complete outbox", err)
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.OutboxReader = (*Store)(nil)

// cursorSQL reads a consumer's stored cursor; no row means the zero cursor.
const cursorSQL = `SELECT tx::text, id, part FROM outbox_cursors WHERE consumer = $1`

// readAfterSQL reads the rows after the cursor ($1, $2, part $5: its own row
// again while only part of it is done) whose transaction
// lies below the statement snapshot's xmin: every such transaction has
// ended, so no row the reader passes can still appear behind it
// (outbox_tx_id_idx serves the order).
const readAfterSQL = `SELECT id, tx::text, topic, key, payload, created_at FROM outbox
	WHERE (tx, id) >= ($1::text::xid8, $2::bigint) AND NOT (tx = $1::text::xid8 AND id = $2 AND $5::int = 0)
		AND tx < pg_snapshot_xmin(pg_current_snapshot())
		AND topic = ANY($3)
	ORDER BY tx, id LIMIT $4`

// advanceSQL stores a cursor unless the stored one is at or past it (part
// 0, the whole row, ranks after every partial position of the row).
const advanceSQL = `INSERT INTO outbox_cursors (consumer, tx, id, part, updated_at) VALUES ($1, $2::text::xid8, $3, $5, $4)
	ON CONFLICT (consumer) DO UPDATE SET tx = EXCLUDED.tx, id = EXCLUDED.id, part = EXCLUDED.part,
		updated_at = EXCLUDED.updated_at
	WHERE (outbox_cursors.tx, outbox_cursors.id, coalesce(nullif(outbox_cursors.part, 0), 2147483647))
		< (EXCLUDED.tx, EXCLUDED.id, coalesce(nullif(EXCLUDED.part, 0), 2147483647))`

// ReadAfter implements persistence.OutboxReader.
func (s *Store) ReadAfter(ctx context.Context, consumer string, topics []string, limit int) ([]persistence.OutboxRow, persistence.OutboxCursor, error) {
	defer observe("read_outbox", time.Now())
	op := "read outbox for " + consumer
	var cur persistence.OutboxCursor
	if limit <= 0 || len(topics) == 0 {
		return nil, cur, fmt.Errorf("%s: limit must be positive and topics non-empty", op)
	}
	cur, err := s.cursor(ctx, consumer)
	if err != nil {
		return nil, cur, fmt.Errorf("%s: %w", op, err)
	}
	rows, err := s.pool.Query(ctx, readAfterSQL, strconv.FormatUint(cur.Tx, 10), cur.ID, topics, limit, cur.Part)
	if err != nil {
		return nil, cur, mapErr(op, err)
	}
	out, err := pgx.CollectRows(rows, scanOutboxRow)
	if err != nil {
		return nil, cur, fmt.Errorf("%s: %w", op, err)
	}
	return out, cur, nil
}

func (s *Store) cursor(ctx context.Context, consumer string) (persistence.OutboxCursor, error) {
	var (
		cur persistence.OutboxCursor
		tx  string
	)
	err := s.pool.QueryRow(ctx, cursorSQL, consumer).Scan(&tx, &cur.ID, &cur.Part)
	if errors.Is(err, pgx.ErrNoRows) {
		return cur, nil
	}
	if err != nil {
		return cur, mapErr("cursor", err)
	}
	cur.Tx, err = strconv.ParseUint(tx, 10, 64)
	if err != nil {
		return cur, fmt.Errorf("cursor tx %q: %w", tx, err)
	}
	return cur, nil
}

func scanOutboxRow(r pgx.CollectableRow) (persistence.OutboxRow, error) {
	var (
		row persistence.OutboxRow
		tx  string
	)
	if err := r.Scan(&row.At.ID, &tx, &row.Topic, &row.Key, &row.Payload, &row.CreatedAt); err != nil {
		return row, err
	}
	var err error
	row.At.Tx, err = strconv.ParseUint(tx, 10, 64)
	if err != nil {
		return row, fmt.Errorf("row %d tx %q: %w", row.At.ID, tx, err)
	}
	return row, nil
}

// Advance implements persistence.OutboxReader.
func (s *Store) Advance(ctx context.Context, consumer string, at persistence.OutboxCursor) error {
	defer observe("advance_outbox", time.Now())
	if at.Part < 0 || at.Part > math.MaxInt32 {
		return fmt.Errorf("advance outbox cursor of %s: part %d out of range", consumer, at.Part)
	}
	_, err := s.pool.Exec(ctx, advanceSQL, consumer, strconv.FormatUint(at.Tx, 10), at.ID, s.stamp(), at.Part)
	return mapErr("advance outbox cursor of "+consumer, err)
}

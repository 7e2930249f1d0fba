package persistence

import (
	"context"
	"math"
	"time"
)

// OutboxCursor is a consumer's position in the outbox: it has handled every
// row before (Tx, ID) in (Tx, ID) order and the row at (Tx, ID) wholly
// (Part 0) or only its first Part deliveries (a consumer that turns one
// row into several requests records its progress through the row; the row
// is then read again). The zero cursor is before every row. Tx is the
// writing transaction's id (PostgreSQL xid8).
type OutboxCursor struct {
	Tx   uint64
	ID   int64
	Part int
}

// Less reports whether c comes before o: (Tx, ID) order, then a part of a
// row before more of it, and any part before the whole row.
func (c OutboxCursor) Less(o OutboxCursor) bool {
	if c.Tx != o.Tx {
		return c.Tx < o.Tx
	}
	if c.ID != o.ID {
		return c.ID < o.ID
	}
	return partRank(c.Part) < partRank(o.Part)
}

// partRank orders Part 0 (the whole row) after every partial position.
func partRank(p int) int {
	if p == 0 {
		return math.MaxInt
	}
	return p
}

// OutboxRow is one outbox row as a cursor reader sees it.
type OutboxRow struct {
	OutboxMessage
	// At is the row's position; advancing a consumer to it marks this row
	// and everything before it handled.
	At OutboxCursor
	// CreatedAt is when the row was written (the store's clock).
	CreatedAt time.Time
}

// OutboxReader lets many consumers read one append-only outbox, each with
// its own cursor, next to the claiming consumers of OutboxStore (rows are
// never deleted, so both see every row). Consumer names are free text,
// one per reader ("analytics.posthog").
//
// Ordering and completeness: rows come in (Tx, ID) order, and a reader
// only ever sees rows of transactions below its snapshot's horizon (no
// transaction that could still commit lies below it). Ids are allocated
// before commit, so a row whose transaction commits late has a smaller id
// than rows already readable; the horizon holds readers back until it is
// committed instead of letting them pass it. A long-running transaction
// therefore delays every reader (transaction ids are server-wide: an open
// transaction in any database of the server counts); it never makes one
// lose a row.
type OutboxReader interface {
	// ReadAfter returns up to limit rows of topics after consumer's stored
	// cursor (the zero cursor when it has none: the whole outbox), oldest
	// first, and that stored cursor. A cursor with Part > 0 returns its own
	// row first. It changes nothing. limit must be
	// positive and topics non-empty.
	ReadAfter(ctx context.Context, consumer string, topics []string, limit int) ([]OutboxRow, OutboxCursor, error)
	// Advance stores at as consumer's cursor unless the stored one is
	// already at or past it: a cursor never moves backward, so a repeated
	// or late Advance is harmless.
	Advance(ctx context.Context, consumer string, at OutboxCursor) error
}

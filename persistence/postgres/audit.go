package postgres

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.AuditLog = (*Store)(nil)

// Listing bounds of ListAudit.
const (
	defaultAuditPage = 50
	maxAuditPage     = 200
)

// auditChange is one change an audited write made, as the write itself
// tells audited. before and after are marshalled to JSON (nil is SQL NULL).
type auditChange struct {
	action, targetKind, targetID string
	before, after                any
}

// audited runs write in one transaction and appends its changes to the
// audit log in that same transaction, so an entry exists if and only if
// the action committed. write reads the target's before state itself
// (under a row lock where a race matters) and returns what changed: one
// change per action, none for a no-op. Its error is returned as is, for
// the caller to map. Every audited store method goes through here (see
// persistence/audit.go).
func (s *Store) audited(ctx context.Context, by persistence.AuditActor, write func(tx pgx.Tx) ([]auditChange, error)) error {
	if err := by.Check(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		changes, err := write(tx)
		if err != nil {
			return err
		}
		at := s.stamp()
		for _, c := range changes {
			if err := appendAudit(ctx, tx, by, c, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// change is the one change of an action.
func change(action, targetKind, targetID string, before, after any) []auditChange {
	return []auditChange{{action: action, targetKind: targetKind, targetID: targetID, before: before, after: after}}
}

const insertAuditSQL = `INSERT INTO audit_log (at, actor_kind, actor_id, actor_role, actor_name, action,
	target_kind, target_id, before, after, client_ip, request_id)
VALUES ($1, $2, nullif($3, '')::uuid, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12)`

// appendAudit inserts one entry in tx.
func appendAudit(ctx context.Context, tx pgx.Tx, by persistence.AuditActor, c auditChange, at time.Time) error {
	before, err := auditJSON(c.before)
	if err != nil {
		return fmt.Errorf("audit %s: before: %w", c.action, err)
	}
	after, err := auditJSON(c.after)
	if err != nil {
		return fmt.Errorf("audit %s: after: %w", c.action, err)
	}
	_, err = tx.Exec(ctx, insertAuditSQL, at, string(by.Kind), by.PlayerID, string(by.Role), by.Name, c.action,
		c.targetKind, c.targetID, before, after, by.ClientIP, by.RequestID)
	if err != nil {
		return fmt.Errorf("audit %s: %w", c.action, err)
	}
	return nil
}

// auditJSON marshals v for a jsonb column; nil stays NULL.
func auditJSON(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := string(b)
	return &out, nil
}

const listAuditSQL = `SELECT id, at, actor_kind, coalesce(actor_id::text, ''), actor_role, actor_name, action,
	target_kind, target_id, before, after, client_ip, request_id
FROM audit_log
WHERE ($1 = '' OR actor_id = nullif($1, '')::uuid)
  AND ($2 = '' OR action = $2)
  AND ($3 = '' OR target_kind = $3)
  AND ($4 = '' OR target_id = $4)
  AND ($5::timestamptz IS NULL OR at >= $5)
  AND ($6::timestamptz IS NULL OR at < $6)
  AND ($7::bigint IS NULL OR id < $7)
ORDER BY id DESC LIMIT $8`

// ListAudit implements persistence.AuditLog: keyset pagination on id.
func (s *Store) ListAudit(ctx context.Context, q persistence.AuditQuery) (persistence.AuditPage, error) {
	defer observe("list_audit", time.Now())
	limit := q.Limit
	if limit <= 0 {
		limit = defaultAuditPage
	}
	limit = min(limit, maxAuditPage)
	before, err := decodeAuditCursor(q.Cursor)
	if err != nil {
		return persistence.AuditPage{}, err
	}
	page := persistence.AuditPage{Entries: []persistence.AuditEntry{}}
	if q.ActorID != "" && !validID(q.ActorID) {
		return page, nil // no actor has that id
	}
	rows, err := s.pool.Query(ctx, listAuditSQL, q.ActorID, q.Action, q.TargetKind, q.TargetID,
		nullTime(q.From), nullTime(q.To), before, limit+1)
	if err != nil {
		return page, mapErr("list audit", err)
	}
	entries, err := pgx.CollectRows(rows, scanAudit)
	if err != nil {
		return page, mapErr("list audit", err)
	}
	if len(entries) > limit {
		entries = entries[:limit]
		page.Next = encodeAuditCursor(entries[limit-1].ID)
	}
	page.Entries = append(page.Entries, entries...)
	return page, nil
}

func scanAudit(row pgx.CollectableRow) (persistence.AuditEntry, error) {
	var e persistence.AuditEntry
	var kind, role string
	var before, after []byte
	err := row.Scan(&e.ID, &e.At, &kind, &e.Actor.PlayerID, &role, &e.Actor.Name, &e.Action, &e.TargetKind,
		&e.TargetID, &before, &after, &e.Actor.ClientIP, &e.Actor.RequestID)
	e.Actor.Kind, e.Actor.Role = persistence.ActorKind(kind), persistence.Role(role)
	if before != nil {
		e.Before = json.RawMessage(before)
	}
	if after != nil {
		e.After = json.RawMessage(after)
	}
	return e, err
}

// encodeAuditCursor is base64url("<id>") of the last entry of a page.
func encodeAuditCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

// decodeAuditCursor reverses encodeAuditCursor; "" is the first page (nil).
func decodeAuditCursor(c string) (*int64, error) {
	if c == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	n, perr := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || perr != nil || n <= 0 {
		return nil, fmt.Errorf("audit cursor: %w", persistence.ErrBadCursor)
	}
	return &n, nil
}

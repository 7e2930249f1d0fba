package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.BadgeStore = (*Store)(nil)

// badgeColumns is the column list every badge read scans with scanBadge.
const badgeColumns = `id::text, slug, name, description, icon, rarity, points, category, active, mintable,
	criteria, created_at, updated_at`

// CreateBadge implements persistence.BadgeStore.
func (s *Store) CreateBadge(ctx context.Context, by persistence.AuditActor, b persistence.Badge) (persistence.Badge, error) {
	defer observe("create_badge", time.Now())
	now := s.stamp()
	var out persistence.Badge
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		var err error
		out, err = scanBadge(tx.QueryRow(ctx, `INSERT INTO badges (slug, name, description, icon, rarity, points,
			category, active, mintable, criteria, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING `+badgeColumns,
			b.Slug, b.Name, b.Description, b.Icon, string(b.Rarity), b.Points, b.Category, b.Active, b.Mintable,
			string(b.Criteria), now))
		return change(persistence.ActionBadgeCreate, "badge", out.ID, nil, out), err
	})
	return out, mapErr("create badge "+b.Slug, err)
}

// UpdateBadge implements persistence.BadgeStore. Unset fields keep their
// value through coalesce, so the edit is one statement after the locked
// read of the before state.
func (s *Store) UpdateBadge(ctx context.Context, by persistence.AuditActor, id string, u persistence.BadgeUpdate) (persistence.Badge, error) {
	defer observe("update_badge", time.Now())
	if !validID(id) {
		return persistence.Badge{}, fmt.Errorf("update badge %q: %w", id, persistence.ErrNotFound)
	}
	var rarity, criteria *string
	if u.Rarity != nil {
		r := string(*u.Rarity)
		rarity = &r
	}
	if u.Criteria != nil {
		c := string(u.Criteria)
		criteria = &c
	}
	var out persistence.Badge
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		old, err := lockBadge(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		out, err = scanBadge(tx.QueryRow(ctx, `UPDATE badges SET name = coalesce($2, name),
			description = coalesce($3, description), icon = coalesce($4, icon), rarity = coalesce($5, rarity),
			points = coalesce($6, points), category = coalesce($7, category), active = coalesce($8, active),
			mintable = coalesce($9, mintable), criteria = coalesce($10::jsonb, criteria), updated_at = $11
			WHERE id = $1 RETURNING `+badgeColumns,
			id, u.Name, u.Description, u.Icon, rarity, u.Points, u.Category, u.Active, u.Mintable, criteria, s.stamp()))
		return change(persistence.ActionBadgeUpdate, "badge", id, old, out), err
	})
	return out, mapErr("update badge "+id, err)
}

// DeleteBadge implements persistence.BadgeStore; awards go with the badge
// (ON DELETE CASCADE).
func (s *Store) DeleteBadge(ctx context.Context, by persistence.AuditActor, id string) error {
	defer observe("delete_badge", time.Now())
	if !validID(id) {
		return fmt.Errorf("delete badge %q: %w", id, persistence.ErrNotFound)
	}
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		old, err := lockBadge(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `DELETE FROM badges WHERE id = $1`, id)
		return change(persistence.ActionBadgeDelete, "badge", id, old, nil), err
	})
	return mapErr("delete badge "+id, err)
}

// lockBadge reads a badge under its row lock (pgx.ErrNoRows when unknown).
func lockBadge(ctx context.Context, tx pgx.Tx, id string) (persistence.Badge, error) {
	return scanBadge(tx.QueryRow(ctx, `SELECT `+badgeColumns+` FROM badges WHERE id = $1 FOR UPDATE`, id))
}

// Badge implements persistence.BadgeStore.
func (s *Store) Badge(ctx context.Context, id string) (persistence.Badge, error) {
	defer observe("badge", time.Now())
	if !validID(id) {
		return persistence.Badge{}, fmt.Errorf("badge %q: %w", id, persistence.ErrNotFound)
	}
	b, err := scanBadge(s.pool.QueryRow(ctx, `SELECT `+badgeColumns+` FROM badges WHERE id = $1`, id))
	return b, mapErr("badge "+id, err)
}

// Badges implements persistence.BadgeStore.
func (s *Store) Badges(ctx context.Context, activeOnly bool) ([]persistence.Badge, error) {
	defer observe("badges", time.Now())
	rows, err := s.pool.Query(ctx, `SELECT `+badgeColumns+` FROM badges WHERE active OR NOT $1
		ORDER BY category, slug`, activeOnly)
	if err != nil {
		return nil, mapErr("badges", err)
	}
	defer rows.Close()
	out := []persistence.Badge{}
	for rows.Next() {
		b, err := scanBadge(rows)
		if err != nil {
			return nil, mapErr("badges", err)
		}
		out = append(out, b)
	}
	return out, mapErr("badges", rows.Err())
}

// scanBadge reads one row of badgeColumns.
func scanBadge(row pgx.Row) (persistence.Badge, error) {
	var b persistence.Badge
	var rarity string
	var criteria []byte
	if err := row.Scan(&b.ID, &b.Slug, &b.Name, &b.Description, &b.Icon, &rarity, &b.Points, &b.Category,
		&b.Active, &b.Mintable, &criteria, &b.CreatedAt, &b.UpdatedAt); err != nil {
		return persistence.Badge{}, err
	}
	b.Rarity = persistence.Rarity(rarity)
	b.Criteria = criteria
	return b, nil
}

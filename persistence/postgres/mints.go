package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.MintStore = (*Store)(nil)

// PlayerMints implements persistence.MintStore.
func (s *Store) PlayerMints(ctx context.Context, playerID string) ([]persistence.MintRequest, error) {
	defer observe("player_mints", time.Now())
	out := []persistence.MintRequest{}
	if !validID(playerID) {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id::text, player_id::text, badge_id::text, chain, recipient, token_id,
		status, reason, tx_hash, created_at, updated_at
		FROM mint_requests WHERE player_id = $1 ORDER BY created_at DESC, id`, playerID)
	if err != nil {
		return nil, mapErr("mints of "+playerID, err)
	}
	mints, err := pgx.CollectRows(rows, scanMint)
	if err != nil {
		return nil, mapErr("mints of "+playerID, err)
	}
	return append(out, mints...), nil
}

// scanMint reads one mint_requests row in the column order of PlayerMints.
func scanMint(r pgx.CollectableRow) (persistence.MintRequest, error) {
	var m persistence.MintRequest
	var chain, status string
	err := r.Scan(&m.ID, &m.PlayerID, &m.BadgeID, &chain, &m.Recipient, &m.TokenID, &status, &m.Reason,
		&m.TxHash, &m.CreatedAt, &m.UpdatedAt)
	m.Chain, m.Status = persistence.Chain(chain), persistence.MintStatus(status)
	return m, err
}

// mintColumns are the columns scanMint reads, in its order.
const mintColumns = `id::text, player_id::text, badge_id::text, chain, recipient, token_id,
	status, reason, tx_hash, created_at, updated_at`

// Mint implements persistence.MintStore.
func (s *Store) Mint(ctx context.Context, id string) (persistence.MintRequest, error) {
	defer observe("mint", time.Now())
	if !validID(id) {
		return persistence.MintRequest{}, fmt.Errorf("mint %q: %w", id, persistence.ErrNotFound)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+mintColumns+` FROM mint_requests WHERE id = $1`, id)
	if err != nil {
		return persistence.MintRequest{}, mapErr("mint "+id, err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, scanMint)
	return m, mapErr("mint "+id, err)
}

// MintsByStatus implements persistence.MintStore.
func (s *Store) MintsByStatus(ctx context.Context, status persistence.MintStatus, limit int) ([]persistence.MintRequest, error) {
	defer observe("mints_by_status", time.Now())
	rows, err := s.pool.Query(ctx, `SELECT `+mintColumns+` FROM mint_requests WHERE status = $1
		ORDER BY created_at, id LIMIT $2`, string(status), limit)
	if err != nil {
		return nil, mapErr("mints by status", err)
	}
	out, err := pgx.CollectRows(rows, scanMint)
	if err != nil {
		return nil, mapErr("mints by status", err)
	}
	return append([]persistence.MintRequest{}, out...), nil
}

// RetryMint implements persistence.MintStore: only a failed request moves
// back to pending, read under its lock and updated in one audited
// transaction.
func (s *Store) RetryMint(ctx context.Context, by persistence.AuditActor, id string, at time.Time) (persistence.MintRequest, error) {
	defer observe("retry_mint", time.Now())
	if !validID(id) {
		return persistence.MintRequest{}, fmt.Errorf("retry mint %q: %w", id, persistence.ErrNotFound)
	}
	var m persistence.MintRequest
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		rows, err := tx.Query(ctx, `SELECT `+mintColumns+` FROM mint_requests WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return nil, err
		}
		old, err := pgx.CollectExactlyOneRow(rows, scanMint)
		if err != nil {
			return nil, err
		}
		if old.Status != persistence.MintFailed {
			return nil, fmt.Errorf("not failed: %w", persistence.ErrConflict)
		}
		rows, err = tx.Query(ctx, `UPDATE mint_requests SET status = 'pending', reason = '', tx_hash = '', updated_at = $2
			WHERE id = $1 RETURNING `+mintColumns, id, at)
		if err != nil {
			return nil, err
		}
		m, err = pgx.CollectExactlyOneRow(rows, scanMint)
		return change(persistence.ActionMintRetry, "mint", id, old, m), err
	})
	return m, mapErr("retry mint "+id, err)
}

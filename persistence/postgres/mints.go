package postgres

import (
	"context"
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

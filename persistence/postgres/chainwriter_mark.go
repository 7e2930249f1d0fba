package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

const finishMintTxSQL = `UPDATE mint_txs SET status = $2, reason = $3, updated_at = $4
WHERE hash = $1 AND status = 'pending'`

const finishMintsSQL = `UPDATE mint_requests SET status = $2, reason = $3, updated_at = $4
WHERE tx_hash = $1 AND status = 'submitted' RETURNING ` + mintCols

const requeueMintsSQL = `UPDATE mint_requests SET status = 'pending', tx_hash = '', reason = '', updated_at = $2
WHERE tx_hash = $1 AND status = 'submitted' RETURNING ` + mintCols

// MarkMintTxAccepted implements persistence.ChainWriterStore.
func (s *Store) MarkMintTxAccepted(ctx context.Context, lease persistence.Lease, hash string) ([]persistence.MintRequest, error) {
	defer observe("mark_mint_tx_accepted", time.Now())
	return s.finishMintTx(ctx, lease, hash, persistence.MintTxAccepted, "", finishMintsSQL,
		string(persistence.MintAccepted), "")
}

// MarkMintTxFailed implements persistence.ChainWriterStore.
func (s *Store) MarkMintTxFailed(ctx context.Context, lease persistence.Lease, hash, reason string) ([]persistence.MintRequest, error) {
	defer observe("mark_mint_tx_failed", time.Now())
	return s.finishMintTx(ctx, lease, hash, persistence.MintTxReverted, reason, finishMintsSQL,
		string(persistence.MintFailed), reason)
}

// MarkMintTxDropped implements persistence.ChainWriterStore.
func (s *Store) MarkMintTxDropped(ctx context.Context, lease persistence.Lease, hash, reason string) ([]persistence.MintRequest, error) {
	defer observe("mark_mint_tx_dropped", time.Now())
	return s.finishMintTx(ctx, lease, hash, persistence.MintTxDropped, reason, requeueMintsSQL)
}

// finishMintTx moves tx hash to status and its requests with reqSQL (whose
// arguments are hash, reqArgs..., now), fenced by lease, in one transaction.
func (s *Store) finishMintTx(ctx context.Context, lease persistence.Lease, hash string, status persistence.MintTxStatus,
	reason, reqSQL string, reqArgs ...any,
) ([]persistence.MintRequest, error) {
	op := fmt.Sprintf("mark mint tx %s %s", hash, status)
	now := s.stamp()
	var out []persistence.MintRequest
	err := s.inTx(ctx, func(t pgx.Tx) error {
		if err := checkFence(ctx, t, lease.Name, lease.Holder, lease.Epoch); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, finishMintTxSQL, hash, string(status), reason, now); err != nil {
			return mapErr(op, err)
		}
		args := append(append([]any{hash}, reqArgs...), now)
		rows, err := t.Query(ctx, reqSQL, args...)
		if err != nil {
			return mapErr(op, err)
		}
		out, err = pgx.CollectRows(rows, scanMint)
		return mapErr(op, err)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

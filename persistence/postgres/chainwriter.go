package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.ChainWriterStore = (*Store)(nil)

// mintCols are the mint_requests columns in the order scanMint reads.
const mintCols = `id::text, player_id::text, badge_id::text, chain, recipient, token_id,
	status, reason, tx_hash, created_at, updated_at`

const pendingMintsSQL = `SELECT ` + mintCols + ` FROM mint_requests
WHERE status = 'pending' AND chain = $1 ORDER BY created_at, id LIMIT $2`

const insertMintTxSQL = `INSERT INTO mint_txs (hash, nonce, max_fee, payload, lease, epoch, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
ON CONFLICT (hash) DO UPDATE SET status = 'pending', reason = '', epoch = excluded.epoch, updated_at = excluded.updated_at
WHERE mint_txs.status = 'dropped' AND mint_txs.lease = excluded.lease`

const submitMintsSQL = `UPDATE mint_requests SET status = 'submitted', tx_hash = $2, reason = '', updated_at = $3
WHERE id = ANY($1::uuid[]) AND status = 'pending'`

const inFlightSQL = `SELECT t.hash, t.nonce, t.max_fee, t.payload, t.status, t.reason, t.epoch, t.created_at, t.updated_at,
	coalesce((SELECT array_agg(r.id::text ORDER BY r.created_at, r.id) FROM mint_requests r WHERE r.tx_hash = t.hash), '{}')
FROM mint_txs t WHERE t.lease = $1 AND t.status = 'pending' ORDER BY t.nonce, t.created_at`

// PendingMints implements persistence.ChainWriterStore.
func (s *Store) PendingMints(ctx context.Context, chain persistence.Chain, limit int) ([]persistence.MintRequest, error) {
	defer observe("pending_mints", time.Now())
	rows, err := s.pool.Query(ctx, pendingMintsSQL, string(chain), limit)
	if err != nil {
		return nil, mapErr("pending mints", err)
	}
	out, err := pgx.CollectRows(rows, scanMint)
	if err != nil {
		return nil, mapErr("pending mints", err)
	}
	return out, nil
}

// PendingMintCount implements persistence.ChainWriterStore.
func (s *Store) PendingMintCount(ctx context.Context, chain persistence.Chain) (int, error) {
	defer observe("pending_mint_count", time.Now())
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM mint_requests WHERE status = 'pending' AND chain = $1`,
		string(chain)).Scan(&n)
	if err != nil {
		return 0, mapErr("count pending mints", err)
	}
	return n, nil
}

// RecordSigned implements persistence.ChainWriterStore.
func (s *Store) RecordSigned(ctx context.Context, lease persistence.Lease, tx persistence.MintTx, requestIDs []string) error {
	defer observe("record_signed", time.Now())
	op := fmt.Sprintf("record signed mint tx %s", tx.Hash)
	if len(requestIDs) == 0 {
		return fmt.Errorf("%s: no requests", op)
	}
	now := s.stamp()
	err := s.inTx(ctx, func(t pgx.Tx) error {
		if err := checkFence(ctx, t, lease.Name, lease.Holder, lease.Epoch); err != nil {
			return err
		}
		tag, err := t.Exec(ctx, insertMintTxSQL, tx.Hash, int64(tx.Nonce), tx.MaxFee, tx.Payload, //nolint:gosec // nonces fit
			lease.Name, lease.Epoch, now)
		if err != nil {
			return mapErr(op, err)
		}
		if tag.RowsAffected() != 1 { // the same bytes re-signed after a drop revive the row
			return fmt.Errorf("tx already recorded: %w", persistence.ErrConflict)
		}
		tag, err = t.Exec(ctx, submitMintsSQL, requestIDs, tx.Hash, now)
		if err != nil {
			return mapErr(op, err)
		}
		if int(tag.RowsAffected()) != len(requestIDs) {
			return fmt.Errorf("%d of %d requests no longer pending: %w", len(requestIDs)-int(tag.RowsAffected()),
				len(requestIDs), persistence.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// InFlightMintTxs implements persistence.ChainWriterStore.
func (s *Store) InFlightMintTxs(ctx context.Context, lease persistence.Lease) ([]persistence.MintTx, error) {
	defer observe("inflight_mint_txs", time.Now())
	rows, err := s.pool.Query(ctx, inFlightSQL, lease.Name)
	if err != nil {
		return nil, mapErr("in-flight mint txs", err)
	}
	out, err := pgx.CollectRows(rows, scanMintTx)
	if err != nil {
		return nil, mapErr("in-flight mint txs", err)
	}
	return out, nil
}

// scanMintTx reads one row of inFlightSQL.
func scanMintTx(r pgx.CollectableRow) (persistence.MintTx, error) {
	var m persistence.MintTx
	var nonce int64
	var status string
	err := r.Scan(&m.Hash, &nonce, &m.MaxFee, &m.Payload, &status, &m.Reason, &m.Epoch,
		&m.CreatedAt, &m.UpdatedAt, &m.RequestIDs)
	m.Nonce, m.Status = uint64(nonce), persistence.MintTxStatus(status) //nolint:gosec // CHECK nonce >= 0
	return m, err
}

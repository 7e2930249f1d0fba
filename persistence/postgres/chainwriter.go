package postgres

import (
	"context"
	"errors"
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

const queueStatsSQL = `SELECT count(*), min(created_at) FROM mint_requests WHERE status = 'pending' AND chain = $1`

// pendingRootsSQL lists every mode's pending roots, challenge boards'
// included, in one queue.
const pendingRootsSQL = `SELECT mode, board, period, root, leaf_count, status, coalesce(tx_hash, ''), created_at
FROM period_roots WHERE status = 'pending' ORDER BY created_at, mode, board, period LIMIT $1`

// insertMintTxSQL records a signed tx; the same bytes signed again after a
// drop revive the dropped row instead. A mint tx has no root: its
// root_mode is the column's unused default (migration 018).
const insertMintTxSQL = `INSERT INTO mint_txs (hash, nonce, max_fee, payload, lease, epoch, root_board, root_period,
	root_mode, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($10::text, 'classic'), $9, $9)
ON CONFLICT (hash) DO UPDATE SET status = 'pending', reason = '', epoch = excluded.epoch, updated_at = excluded.updated_at
WHERE mint_txs.status = 'dropped' AND mint_txs.lease = excluded.lease`

// submitMintsSQL keeps each request's reason: one that came back from a
// split batch is still sent alone if its tx is dropped.
const submitMintsSQL = `UPDATE mint_requests SET status = 'submitted', tx_hash = $2, updated_at = $3
WHERE id = ANY($1::uuid[]) AND status = 'pending'`

const submitRootSQL = `UPDATE period_roots SET status = 'submitted', tx_hash = $3, reason = '', updated_at = $4
WHERE mode = $5 AND board = $1 AND period = $2 AND status = 'pending'`

// inFlightSQL reads a lease's pending txs with their work: the requests
// that name each (in call order) and the root it carries.
const inFlightSQL = `SELECT t.hash, t.nonce, t.max_fee, t.payload, t.status, t.reason, t.epoch, t.created_at, t.updated_at,
	coalesce(m.ids, '{}'), coalesce(m.recipients, '{}'), coalesce(m.tokens, '{}'),
	pr.mode, pr.board, pr.period, pr.root, pr.leaf_count, pr.status, pr.tx_hash, pr.created_at
FROM mint_txs t
LEFT JOIN LATERAL (SELECT array_agg(r.id::text ORDER BY r.created_at, r.id) AS ids,
		array_agg(r.recipient ORDER BY r.created_at, r.id) AS recipients,
		array_agg(r.token_id ORDER BY r.created_at, r.id) AS tokens
	FROM mint_requests r WHERE r.tx_hash = t.hash) m ON true
LEFT JOIN period_roots pr ON pr.mode = t.root_mode AND pr.board = t.root_board AND pr.period = t.root_period
WHERE t.lease = $1 AND t.status = 'pending' ORDER BY t.nonce, t.created_at, t.hash`

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

// MintQueueStats implements persistence.ChainWriterStore.
func (s *Store) MintQueueStats(ctx context.Context, chain persistence.Chain) (persistence.QueueStats, error) {
	defer observe("mint_queue_stats", time.Now())
	var st persistence.QueueStats
	var oldest *time.Time
	if err := s.pool.QueryRow(ctx, queueStatsSQL, string(chain)).Scan(&st.Depth, &oldest); err != nil {
		return persistence.QueueStats{}, mapErr("mint queue stats", err)
	}
	if oldest != nil {
		st.Oldest = *oldest
	}
	return st, nil
}

// PendingRoots implements persistence.ChainWriterStore.
func (s *Store) PendingRoots(ctx context.Context, limit int) ([]persistence.PeriodRoot, error) {
	defer observe("pending_roots", time.Now())
	rows, err := s.pool.Query(ctx, pendingRootsSQL, limit)
	if err != nil {
		return nil, mapErr("pending roots", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.PeriodRoot, error) {
		var pr persistence.PeriodRoot
		var status string
		err := r.Scan(&pr.Mode, &pr.Board, &pr.Period, &pr.Root, &pr.LeafCount, &status, &pr.TxHash, &pr.CreatedAt)
		pr.Status = persistence.RootStatus(status)
		return pr, err
	})
	if err != nil {
		return nil, mapErr("pending roots", err)
	}
	return out, nil
}

// RecordSigned implements persistence.ChainWriterStore.
func (s *Store) RecordSigned(ctx context.Context, lease persistence.Lease, tx persistence.MintTx, work persistence.TxWork) error {
	defer observe("record_signed", time.Now())
	op := fmt.Sprintf("record signed tx %s", tx.Hash)
	if (len(work.RequestIDs) == 0) == (work.Root == nil) {
		return fmt.Errorf("%s: a tx carries requests or one root", op)
	}
	var mode, board, period *string
	if work.Root != nil {
		mode, board, period = &work.Root.Mode, &work.Root.Board, &work.Root.Period
	}
	now := s.stamp()
	err := s.inTx(ctx, func(t pgx.Tx) error {
		if err := checkFence(ctx, t, lease.Name, lease.Holder, lease.Epoch); err != nil {
			return err
		}
		tag, err := t.Exec(ctx, insertMintTxSQL, tx.Hash, int64(tx.Nonce), tx.MaxFee, tx.Payload, //nolint:gosec // nonces fit
			lease.Name, lease.Epoch, board, period, now, mode)
		if err != nil {
			return mapErr("insert tx", err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("tx already recorded: %w", persistence.ErrConflict)
		}
		if work.Root != nil {
			tag, err = t.Exec(ctx, submitRootSQL, work.Root.Board, work.Root.Period, tx.Hash, now, work.Root.Mode)
			if err != nil {
				return mapErr("submit root", err)
			}
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("root %s no longer pending: %w", work.Root.Key(), persistence.ErrConflict)
			}
			return nil
		}
		tag, err = t.Exec(ctx, submitMintsSQL, work.RequestIDs, tx.Hash, now)
		if err != nil {
			return mapErr("submit requests", err)
		}
		if int(tag.RowsAffected()) != len(work.RequestIDs) {
			return fmt.Errorf("%d of %d requests no longer pending: %w", len(work.RequestIDs)-int(tag.RowsAffected()),
				len(work.RequestIDs), persistence.ErrConflict)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// RecordReplacement implements persistence.ChainWriterStore.
func (s *Store) RecordReplacement(ctx context.Context, lease persistence.Lease, replaced string, tx persistence.MintTx) error {
	defer observe("record_replacement", time.Now())
	op := fmt.Sprintf("record replacement %s of %s", tx.Hash, replaced)
	now := s.stamp()
	err := s.inTx(ctx, func(t pgx.Tx) error {
		if err := checkFence(ctx, t, lease.Name, lease.Holder, lease.Epoch); err != nil {
			return err
		}
		var nonce int64
		var board, period *string
		var mode string
		err := t.QueryRow(ctx, `SELECT nonce, root_board, root_period, root_mode FROM mint_txs
			WHERE hash = $1 AND lease = $2 AND status = 'pending' FOR UPDATE`, replaced, lease.Name).Scan(&nonce, &board, &period,
			&mode)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && uint64(nonce) != tx.Nonce) { //nolint:gosec // CHECK nonce >= 0
			return fmt.Errorf("no pending tx %s at nonce %d: %w", replaced, tx.Nonce, persistence.ErrConflict)
		}
		if err != nil {
			return mapErr("read replaced tx", err)
		}
		tag, err := t.Exec(ctx, insertMintTxSQL, tx.Hash, nonce, tx.MaxFee, tx.Payload, lease.Name, lease.Epoch, board, period, now,
			mode)
		if err != nil {
			return mapErr("insert tx", err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("tx already recorded: %w", persistence.ErrConflict)
		}
		if _, err := t.Exec(ctx, `UPDATE mint_requests SET tx_hash = $2, updated_at = $3
			WHERE tx_hash = $1 AND status = 'submitted'`, replaced, tx.Hash, now); err != nil {
			return mapErr("move requests", err)
		}
		_, err = t.Exec(ctx, `UPDATE period_roots SET tx_hash = $2, updated_at = $3
			WHERE tx_hash = $1 AND status = 'submitted'`, replaced, tx.Hash, now)
		return mapErr("move root", err)
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
	var ids, recipients, tokens []string
	var mode, board, period, root, rootStatus, rootTx *string
	var leaves *int
	var rootAt *time.Time
	err := r.Scan(&m.Hash, &nonce, &m.MaxFee, &m.Payload, &status, &m.Reason, &m.Epoch, &m.CreatedAt, &m.UpdatedAt,
		&ids, &recipients, &tokens, &mode, &board, &period, &root, &leaves, &rootStatus, &rootTx, &rootAt)
	if err != nil {
		return m, err
	}
	m.Nonce, m.Status = uint64(nonce), persistence.MintTxStatus(status) //nolint:gosec // CHECK nonce >= 0
	for i := range ids {
		m.Mints = append(m.Mints, persistence.TxMint{RequestID: ids[i], Recipient: recipients[i], TokenID: tokens[i]})
	}
	if board != nil {
		m.Root = &persistence.PeriodRoot{Mode: *mode, Board: *board, Period: *period, Root: *root, LeafCount: *leaves,
			Status: persistence.RootStatus(*rootStatus), CreatedAt: *rootAt}
		if rootTx != nil {
			m.Root.TxHash = *rootTx
		}
	}
	return m, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// finishTxSQL finalizes one pending tx; no row: it is final already.
const finishTxSQL = `UPDATE mint_txs SET status = $2, reason = $3, updated_at = $4
WHERE hash = $1 AND status = 'pending' RETURNING lease, nonce`

// supersedeSQL ends the other pending alternatives of the finished tx's
// nonce: at most one of them could land.
const supersedeSQL = `UPDATE mint_txs SET status = 'dropped', reason = $4, updated_at = $5
WHERE lease = $1 AND nonce = $2 AND hash <> $3 AND status = 'pending'`

// groupWork is the condition "the work names an alternative of the nonce".
const groupWork = `status = 'submitted' AND tx_hash IN (SELECT hash FROM mint_txs WHERE lease = $1 AND nonce = $2)`

// finishMintsSQL moves the work's requests to $3 with reason $4 (NULL:
// unchanged) and tx $5.
const finishMintsSQL = `UPDATE mint_requests SET status = $3, reason = coalesce($4, reason), tx_hash = $5, updated_at = $6
WHERE ` + groupWork + ` RETURNING ` + mintCols

// finishRootSQL moves the work's root to $3 with reason $4 (NULL:
// unchanged) and tx $5.
const finishRootSQL = `UPDATE period_roots SET status = $3, reason = coalesce($4, reason), tx_hash = $5, updated_at = $6
WHERE ` + groupWork

// finish is how a mark moves a tx, its alternatives and its work.
type finish struct {
	tx         persistence.MintTxStatus
	txReason   string
	siblings   string // reason of the other alternatives
	requests   persistence.MintStatus
	reqReason  string
	root       persistence.RootStatus
	keepHash   bool // the work keeps hash; false: it is cleared (requeued)
	keepReason bool // the work keeps its reason (a requeue after a drop)
	observeTag string
}

// MarkMintTxAccepted implements persistence.ChainWriterStore.
func (s *Store) MarkMintTxAccepted(ctx context.Context, lease persistence.Lease, hash string) ([]persistence.MintRequest, error) {
	return s.finishMintTx(ctx, lease, hash, finish{tx: persistence.MintTxAccepted, siblings: "superseded by " + hash,
		requests: persistence.MintAccepted, root: persistence.RootAccepted, keepHash: true, observeTag: "mark_mint_tx_accepted"})
}

// MarkMintTxFailed implements persistence.ChainWriterStore.
func (s *Store) MarkMintTxFailed(ctx context.Context, lease persistence.Lease, hash, reason string) ([]persistence.MintRequest, error) {
	return s.finishMintTx(ctx, lease, hash, finish{tx: persistence.MintTxReverted, txReason: reason,
		siblings: "superseded by " + hash, requests: persistence.MintFailed, reqReason: reason, root: persistence.RootFailed,
		keepHash: true, observeTag: "mark_mint_tx_failed"})
}

// MarkMintTxSplit implements persistence.ChainWriterStore.
func (s *Store) MarkMintTxSplit(ctx context.Context, lease persistence.Lease, hash, reason string) ([]persistence.MintRequest, error) {
	return s.finishMintTx(ctx, lease, hash, finish{tx: persistence.MintTxReverted, txReason: reason,
		siblings: "superseded by " + hash, requests: persistence.MintPending, reqReason: reason, root: persistence.RootFailed,
		observeTag: "mark_mint_tx_split"})
}

// MarkMintTxDropped implements persistence.ChainWriterStore.
func (s *Store) MarkMintTxDropped(ctx context.Context, lease persistence.Lease, hash, reason string) ([]persistence.MintRequest, error) {
	return s.finishMintTx(ctx, lease, hash, finish{tx: persistence.MintTxDropped, txReason: reason, siblings: reason,
		requests: persistence.MintPending, root: persistence.RootPending, keepReason: true, observeTag: "mark_mint_tx_dropped"})
}

// finishMintTx applies f to tx hash, the other alternatives of its nonce
// and their work, fenced by lease, in one transaction. A tx that is not
// pending any more changes nothing, so a repeated mark is harmless.
func (s *Store) finishMintTx(ctx context.Context, lease persistence.Lease, hash string, f finish) ([]persistence.MintRequest, error) {
	defer observe(f.observeTag, time.Now())
	op := fmt.Sprintf("mark tx %s %s", hash, f.tx)
	now := s.stamp()
	var out []persistence.MintRequest
	err := s.inTx(ctx, func(t pgx.Tx) error {
		if err := checkFence(ctx, t, lease.Name, lease.Holder, lease.Epoch); err != nil {
			return err
		}
		var txLease string
		var nonce int64
		err := t.QueryRow(ctx, finishTxSQL, hash, string(f.tx), f.txReason, now).Scan(&txLease, &nonce)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return mapErr("finish tx", err)
		}
		if _, err := t.Exec(ctx, supersedeSQL, txLease, nonce, hash, f.siblings, now); err != nil {
			return mapErr("supersede alternatives", err)
		}
		workHash := any(hash)
		if !f.keepHash {
			workHash = ""
		}
		reason := any(f.reqReason)
		if f.keepReason {
			reason = nil
		}
		rows, err := t.Query(ctx, finishMintsSQL, txLease, nonce, string(f.requests), reason, workHash, now)
		if err != nil {
			return mapErr("finish requests", err)
		}
		if out, err = pgx.CollectRows(rows, scanMint); err != nil {
			return mapErr("read requests", err)
		}
		if err := queueMintNotices(ctx, t, out, now); err != nil {
			return err
		}
		rootHash := workHash
		if !f.keepHash {
			rootHash = nil // period_roots.tx_hash is NULL until submitted
		}
		_, err = t.Exec(ctx, finishRootSQL, txLease, nonce, string(f.root), reason, rootHash, now)
		return mapErr("finish root", err)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// SettleUnsent implements persistence.ChainWriterStore.
func (s *Store) SettleUnsent(ctx context.Context, lease persistence.Lease, work persistence.TxWork,
	status persistence.MintStatus, reason string,
) ([]persistence.MintRequest, error) {
	defer observe("settle_unsent", time.Now())
	op := fmt.Sprintf("settle unsent work as %s", status)
	now := s.stamp()
	var out []persistence.MintRequest
	err := s.inTx(ctx, func(t pgx.Tx) error {
		if err := checkFence(ctx, t, lease.Name, lease.Holder, lease.Epoch); err != nil {
			return err
		}
		if work.Root != nil {
			rootStatus := persistence.RootFailed
			if status == persistence.MintAccepted {
				rootStatus = persistence.RootAccepted
			}
			_, err := t.Exec(ctx, `UPDATE period_roots SET status = $3, reason = $4, updated_at = $5
				WHERE mode = $6 AND board = $1 AND period = $2 AND status = 'pending'`,
				work.Root.Board, work.Root.Period, string(rootStatus), reason, now, work.Root.Mode)
			return mapErr("settle root", err)
		}
		rows, err := t.Query(ctx, `UPDATE mint_requests SET status = $2, reason = $3, updated_at = $4
			WHERE id = ANY($1::uuid[]) AND status = 'pending' RETURNING `+mintCols, work.RequestIDs, string(status), reason, now)
		if err != nil {
			return mapErr("settle requests", err)
		}
		if out, err = pgx.CollectRows(rows, scanMint); err != nil {
			return mapErr("read requests", err)
		}
		return queueMintNotices(ctx, t, out, now)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

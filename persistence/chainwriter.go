package persistence

import (
	"context"
	"time"
)

// ChainWriterLease names the lease of the StarkNet chain writer singleton
// (one per relayer account); ChainWriterStore fences its writes by it.
const ChainWriterLease = "chainwriter"

// MintTxStatus is where a signed mint transaction stands.
type MintTxStatus string

// The mint transaction statuses: pending → accepted | reverted | dropped.
const (
	MintTxPending  MintTxStatus = "pending"  // signed, maybe sent, may still land
	MintTxAccepted MintTxStatus = "accepted" // final and executed
	MintTxReverted MintTxStatus = "reverted" // final, execution reverted (or refused for good)
	MintTxDropped  MintTxStatus = "dropped"  // refused before acceptance; nonce never consumed
)

// MintTx is a signed transaction carrying one or more mint requests. It is
// persisted before it is sent so that a new leader finds it and polls or
// rebroadcasts the same bytes instead of signing a second transaction.
type MintTx struct {
	Hash       string
	Nonce      uint64
	MaxFee     string
	Payload    []byte // exact broadcast body
	Status     MintTxStatus
	Reason     string
	Epoch      int64    // leadership that signed it
	RequestIDs []string // requests it carries, in call order
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ChainWriterStore is the chain writer's queue and transaction journal.
// Every write is fenced by the writer's lease (Name, Holder, Epoch): a
// leader that has been replaced gets ErrStaleEpoch and writes nothing.
type ChainWriterStore interface {
	// PendingMints lists up to limit pending requests of chain, oldest first.
	PendingMints(ctx context.Context, chain Chain, limit int) ([]MintRequest, error)
	// PendingMintCount counts pending requests of chain (the queue depth).
	PendingMintCount(ctx context.Context, chain Chain) (int, error)
	// RecordSigned stores tx (status pending) and moves every request of
	// requestIDs from pending to submitted with tx's hash, in one
	// transaction, before the tx is sent. A request that is no longer
	// pending answers ErrConflict and nothing is written.
	RecordSigned(ctx context.Context, lease Lease, tx MintTx, requestIDs []string) error
	// InFlightMintTxs lists lease's pending transactions (any epoch), lowest
	// nonce first, with their request ids.
	InFlightMintTxs(ctx context.Context, lease Lease) ([]MintTx, error)
	// MarkMintTxAccepted finalizes tx hash as accepted and its submitted
	// requests as accepted; it returns the requests it moved (none when
	// already final, so repeating it is harmless).
	MarkMintTxAccepted(ctx context.Context, lease Lease, hash string) ([]MintRequest, error)
	// MarkMintTxFailed finalizes tx hash as reverted and its submitted
	// requests as failed with reason; it returns the requests it moved.
	MarkMintTxFailed(ctx context.Context, lease Lease, hash, reason string) ([]MintRequest, error)
	// MarkMintTxDropped records that the node refused tx hash before
	// accepting it (its nonce was never consumed) and puts its requests
	// back to pending, without hash, to be signed again; it returns them.
	MarkMintTxDropped(ctx context.Context, lease Lease, hash, reason string) ([]MintRequest, error)
}

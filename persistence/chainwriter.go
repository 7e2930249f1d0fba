package persistence

import (
	"context"
	"time"
)

// The leases of the chain writer singletons, one per chain's relayer
// account; ChainWriterStore fences their writes by them.
const (
	ChainWriterLease        = "chainwriter" // StarkNet
	ChainWriterStellarLease = "chainwriter-stellar"
)

// MintTxStatus is where a signed mint transaction stands.
type MintTxStatus string

// The mint transaction statuses: pending → accepted | reverted | dropped.
const (
	MintTxPending  MintTxStatus = "pending"  // signed, maybe sent, may still land
	MintTxAccepted MintTxStatus = "accepted" // final and executed
	MintTxReverted MintTxStatus = "reverted" // final, execution reverted (or refused for good)
	MintTxDropped  MintTxStatus = "dropped"  // refused before acceptance; nonce never consumed
)

// MintTx is a signed transaction of the chain writer, carrying mint
// requests or one period root. It is persisted before it is sent so that a
// new leader finds it and polls or rebroadcasts the same bytes instead of
// signing a second transaction. Transactions of a lease that share a nonce
// are alternatives (a stuck one and its higher-fee replacements): at most
// one lands, and the work names the newest.
type MintTx struct {
	Hash    string
	Nonce   uint64
	MaxFee  string
	Payload []byte // exact broadcast body
	Status  MintTxStatus
	Reason  string
	Epoch   int64 // leadership that signed it
	// Mints are the requests it carries, in call order (empty for a root
	// transaction and for a replaced alternative).
	Mints []TxMint
	// Root is the period root it submits, if it is a root transaction.
	Root      *PeriodRoot
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TxMint is one mint call of a transaction: the request and its arguments.
type TxMint struct {
	RequestID string
	Recipient string
	TokenID   string
}

// TxWork names what a newly recorded transaction carries: RequestIDs, or
// the Root of one closed board period (Mode, Board, Period).
type TxWork struct {
	RequestIDs []string
	Root       *RootRef
}

// RootRef names a closed board period's root.
type RootRef struct {
	Mode   string
	Board  string
	Period string
}

// Key names the referenced board period.
func (r RootRef) Key() BoardKey { return BoardKey(r) }

// QueueStats describes a chain's pending mint requests.
type QueueStats struct {
	Depth int
	// Oldest is the creation time of the oldest pending request (zero when
	// the queue is empty): the queue's age is now minus Oldest.
	Oldest time.Time
}

// ChainWriterStore is the chain writer's queue and transaction journal.
// Every write is fenced by the writer's lease (Name, Holder, Epoch): a
// leader that has been replaced gets ErrStaleEpoch and writes nothing.
type ChainWriterStore interface {
	// PendingMints lists up to limit pending requests of chain, oldest
	// first. A pending request with a Reason came back from a batch that
	// reverted because of another call; the writer sends it alone.
	PendingMints(ctx context.Context, chain Chain, limit int) ([]MintRequest, error)
	// MintQueueStats reports chain's pending requests (depth and age).
	MintQueueStats(ctx context.Context, chain Chain) (QueueStats, error)
	// PendingRoots lists up to limit period roots not submitted yet, oldest
	// first (they go to the leaderboard contract on StarkNet).
	PendingRoots(ctx context.Context, limit int) ([]PeriodRoot, error)
	// RecordSigned stores tx (status pending) and moves its work from
	// pending to submitted with tx's hash, in one transaction, before the
	// tx is sent. Work that is no longer pending answers ErrConflict and
	// nothing is written.
	RecordSigned(ctx context.Context, lease Lease, tx MintTx, work TxWork) error
	// RecordReplacement stores tx, a higher-fee replacement of the pending
	// transaction replaced at the same nonce, and moves replaced's work to
	// tx, in one transaction, before tx is sent. replaced stays pending: it
	// may still land. ErrConflict when replaced is not pending or tx's
	// nonce differs.
	RecordReplacement(ctx context.Context, lease Lease, replaced string, tx MintTx) error
	// InFlightMintTxs lists lease's pending transactions (any epoch), lowest
	// nonce first, oldest first within a nonce, with their work.
	InFlightMintTxs(ctx context.Context, lease Lease) ([]MintTx, error)
	// SettleUnsent settles work that was never signed because its
	// simulation reverted: its pending requests move to status with reason
	// (accepted: the mint is already done; failed; or pending with a
	// reason, to be sent alone), or its pending root to accepted or failed.
	// It returns the requests it moved.
	SettleUnsent(ctx context.Context, lease Lease, work TxWork, status MintStatus, reason string) ([]MintRequest, error)
	// MarkMintTxAccepted finalizes tx hash as accepted, the other pending
	// alternatives of its nonce as dropped (superseded), and the work of
	// them all as accepted with hash; it returns the requests it moved
	// (none when already final, so repeating it is harmless).
	MarkMintTxAccepted(ctx context.Context, lease Lease, hash string) ([]MintRequest, error)
	// MarkMintTxFailed is MarkMintTxAccepted for a reverted tx: its work
	// becomes failed with reason.
	MarkMintTxFailed(ctx context.Context, lease Lease, hash, reason string) ([]MintRequest, error)
	// MarkMintTxSplit finalizes tx hash as reverted like MarkMintTxFailed
	// but puts its requests back to pending with reason, to be sent one
	// per transaction: a multicall that reverted because one of its mints
	// was already done, so none of the others took effect.
	MarkMintTxSplit(ctx context.Context, lease Lease, hash, reason string) ([]MintRequest, error)
	// MarkMintTxDropped records that tx hash and every alternative of its
	// nonce can no longer land (refused before acceptance, or its nonce
	// taken by another transaction) and puts their work back to pending,
	// without hash, to be signed again; it returns the requests.
	MarkMintTxDropped(ctx context.Context, lease Lease, hash, reason string) ([]MintRequest, error)
}

// Package relay is the contract between the chain writer
// (actors/chainwriter) and a chain's transaction layer (chain/starknet,
// chain/stellar): what one relayer transaction carries, what a signed
// transaction is, how it ends, and which failures mean what. It holds no
// chain code, so the writer's exactly-once logic is written once for every
// chain.
//
// A relayer account orders its transactions by a nonce (StarkNet's account
// nonce, Stellar's sequence number). The writer owns it: it reads Nonce,
// Prepares a signed transaction at that nonce, persists it, and only then
// Sends it, so a successor finds every transaction that may land.
package relay

import (
	"context"
	"errors"
)

// Sentinel errors a Relayer returns (wrapped); the writer tests them with
// errors.Is.
var (
	// ErrUnavailable: the node could not answer (down, timeout, rate
	// limited, malformed reply); the same call may succeed later.
	ErrUnavailable = errors.New("chain node unavailable")
	// ErrInvalidNonce: the node refused the transaction's nonce (stale, or
	// ahead of the account's).
	ErrInvalidNonce = errors.New("invalid transaction nonce")
	// ErrRejected: the node refused the transaction for good (bad
	// signature, failed validation); resending the same bytes cannot help.
	ErrRejected = errors.New("transaction rejected")
	// ErrTxNotFound: the node does not know the hash (never received,
	// dropped, or replaced by another transaction at the same nonce).
	ErrTxNotFound = errors.New("transaction not found")
	// ErrFeeCapExceeded: the fee the transaction needs is above the cap.
	ErrFeeCapExceeded = errors.New("fee above cap")
	// ErrWouldRevert: Prepare's simulation (the fee estimate) found that
	// the work reverts against the chain's current state; nothing was
	// signed. The error is a *RevertError.
	ErrWouldRevert = errors.New("transaction would revert")
)

// RevertError is why work would revert (ErrWouldRevert). AlreadyMinted
// marks a revert whose only cause is a token already owned by its
// intended owner, as in Receipt.
type RevertError struct {
	Reason        string
	AlreadyMinted bool
}

func (e *RevertError) Error() string { return "transaction would revert: " + e.Reason }

// Is makes errors.Is(err, ErrWouldRevert) hold.
func (e *RevertError) Is(target error) bool { return target == ErrWouldRevert }

// Mint is one mint(to, token_id) of a badge NFT.
type Mint struct {
	To      string // the player's wallet address on the chain
	TokenID string // persistence.MintTokenID: "0x" and 32 hex digits
}

// Root is one submit_root(board, period, root) to the leaderboard contract.
type Root struct {
	Board  string // the series: "daily" (classic), "<mode>/daily", "challenge", "<mode>/challenge"
	Period string // the period key, e.g. "2026-11-24", or a challenge id
	Root   string // chain/merkle root, "0x" hex felt
}

// Work is what one transaction carries: either up to MaxBatch mints (one
// multicall) or exactly one root.
type Work struct {
	Mints []Mint
	Root  *Root
}

// Signed is a signed transaction as the writer persists it before sending:
// Payload is the exact broadcast body, so a resend is byte-identical and
// the node sees the same hash.
type Signed struct {
	Hash    string // transaction hash, chain-native hex
	Nonce   uint64 // the account nonce (sequence number) it consumes
	MaxFee  string // the most it may pay, decimal, in the chain's fee unit
	Payload []byte
}

// Status is where a sent transaction stands.
type Status string

// Transaction statuses.
const (
	StatusPending  Status = "pending"  // held by the node, not final yet
	StatusAccepted Status = "accepted" // final and executed
	StatusReverted Status = "reverted" // final, execution reverted (nonce consumed)
)

// Receipt is a transaction's outcome. AlreadyMinted marks a revert whose
// only cause is a token already owned by its intended owner: for a one-mint
// transaction the mint is done; in a multicall no call took effect.
type Receipt struct {
	Status        Status
	Reason        string
	AlreadyMinted bool
}

// Relayer is one relayer account on one chain. Implementations are safe
// for concurrent use; ordering is the writer's.
type Relayer interface {
	// Nonce returns the account's next nonce as the node sees it now.
	Nonce(ctx context.Context) (uint64, error)
	// Prepare builds and signs w at nonce, its fee estimated and scaled by
	// the configured multiplier times feeScale (1 for a first attempt,
	// more to replace a stuck transaction at the same nonce), within the
	// configured cap (ErrFeeCapExceeded). Nothing is sent but reads. A
	// simulation that reverts answers a *RevertError.
	Prepare(ctx context.Context, nonce uint64, w Work, feeScale float64) (Signed, error)
	// Send broadcasts tx; idempotent (a node already holding it is success).
	// Errors: ErrInvalidNonce, ErrRejected, ErrUnavailable.
	Send(ctx context.Context, tx Signed) error
	// Receipt reports where hash stands; ErrTxNotFound when the node does
	// not know it.
	Receipt(ctx context.Context, hash string) (Receipt, error)
	// MaxBatch is the most mints one transaction may carry (≥ 1).
	MaxBatch() int
	// SubmitsRoots reports whether the relayer can carry Work.Root (a
	// leaderboard contract is configured on this chain).
	SubmitsRoots() bool
}

package persistence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// MintStatus is where a mint request is on its way to the chain; the
// values are stored and appear in the API.
type MintStatus string

// The mint statuses: pending → submitted → accepted | failed.
const (
	MintPending   MintStatus = "pending"
	MintSubmitted MintStatus = "submitted"
	MintAccepted  MintStatus = "accepted"
	MintFailed    MintStatus = "failed"
)

// MintRequest asks the chain writer to mint one earned badge to the
// player's wallet. It is written in the same transaction as the award
// (BadgeStore.AwardBadge) when the player has a linked wallet, or else in
// the transaction that links the player's first wallet
// (WalletStore.LinkWallet queues every held mintable badge without a
// request), so an award of a mintable badge to a player with a linked
// wallet never exists without its request. The recipient is chosen when
// the request is written (StarkNet before Stellar, then the oldest link);
// linking another wallet later changes no request.
type MintRequest struct {
	ID        string
	PlayerID  string
	BadgeID   string
	Chain     Chain
	Recipient string // the wallet address, normalized as in Wallet
	TokenID   string // MintTokenID(BadgeID, PlayerID)
	Status    MintStatus
	Reason    string // why a request failed
	TxHash    string // the transaction that carries the mint, once sent
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MintStore reads mint requests. Requests are created only by AwardBadge
// and LinkWallet.
type MintStore interface {
	// PlayerMints lists the player's mint requests, newest first (empty,
	// not an error, for a player without mints or an unknown player).
	PlayerMints(ctx context.Context, playerID string) ([]MintRequest, error)
	// Mint returns one mint request, or ErrNotFound.
	Mint(ctx context.Context, id string) (MintRequest, error)
	// MintsByStatus lists up to limit requests in status, oldest first.
	MintsByStatus(ctx context.Context, status MintStatus, limit int) ([]MintRequest, error)
	// RetryMint puts a failed request back in the queue (pending, reason
	// cleared); ErrNotFound when the request is unknown, ErrConflict when
	// it is not failed (a queued, in-flight or minted request is never
	// sent twice).
	// Audited (ActionMintRetry) in the same transaction.
	RetryMint(ctx context.Context, by AuditActor, id string, at time.Time) (MintRequest, error)
}

// MintTokenID derives the NFT token id of a badge minted to a player, so a
// repeated mint of the same pair names the same token and can never create
// a second one. It is the low 128 bits (the last 16 bytes) of
// sha256(badgeID + ":" + playerID) over the canonical lowercase UUID
// strings, written as "0x" and 32 lowercase hex digits: it fits a StarkNet
// felt and the low half of a Cairo u256, and a Soroban u128. The chain
// writer derives the same id (chain/starknet.TokenID; cmd's tests check
// that the two agree).
func MintTokenID(badgeID, playerID string) string {
	sum := sha256.Sum256([]byte(badgeID + ":" + playerID))
	return "0x" + hex.EncodeToString(sum[16:])
}

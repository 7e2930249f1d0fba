package persistence

import (
	"context"
	"time"
)

// Chain names a blockchain players sign in with.
type Chain string

// Supported chains; the values are stored and appear in the API.
const (
	ChainStarknet Chain = "starknet"
	ChainStellar  Chain = "stellar"
)

// Valid reports whether c is a supported chain.
func (c Chain) Valid() bool { return c == ChainStarknet || c == ChainStellar }

// Wallet is a blockchain account proven to belong to a player. Address is
// normalized by the chain package (StarkNet: lowercase 0x and 64 hex digits;
// Stellar: the G… strkey), so one wallet has exactly one spelling here.
type Wallet struct {
	Chain    Chain
	Address  string
	PlayerID string
	LinkedAt time.Time
}

// WalletStore keeps which player owns which wallet. A wallet belongs to at
// most one player; a player may own several wallets.
type WalletStore interface {
	// SignInWallet returns the player owning the wallet, creating a player
	// (with a generated unique username) and binding the wallet on first
	// sign-in. Concurrent first sign-ins of one wallet return the same
	// player. created reports a new account.
	SignInWallet(ctx context.Context, chain Chain, address string) (p Player, created bool, err error)
	// WalletPlayer returns the player owning the wallet and never creates
	// one: ErrNotFound when no player owns it. It is wallet sign-in while
	// registration is closed.
	WalletPlayer(ctx context.Context, chain Chain, address string) (Player, error)
	// WalletOwner returns the id of the player owning the wallet, or
	// ErrNotFound.
	WalletOwner(ctx context.Context, chain Chain, address string) (playerID string, err error)
	// LinkWallet binds the wallet to playerID and returns the binding. It is
	// idempotent for the owner (the original binding is returned);
	// ErrConflict when another player owns the wallet, ErrNotFound for an
	// unknown player. A new link queues, in its transaction, the mint
	// requests of the player's mintable badges awarded while the player had
	// no wallet.
	LinkWallet(ctx context.Context, playerID string, chain Chain, address string) (Wallet, error)
	// Wallets lists the player's wallets, oldest link first (empty, not an
	// error, for a player without wallets or an unknown player).
	Wallets(ctx context.Context, playerID string) ([]Wallet, error)
}

// WalletChallenge is an outstanding sign-in challenge: the server keeps only
// this and rebuilds the signed message from it.
type WalletChallenge struct {
	Nonce     string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// NonceStore keeps single-use wallet challenges, one per wallet. It is
// shared by every node (Redis), so a challenge issued by one node verifies
// on any; a node alone may keep them in process (persistence/memory).
type NonceStore interface {
	// PutChallenge stores c for the wallet until c.ExpiresAt, replacing any
	// earlier challenge of the same wallet (only the newest can be used).
	PutChallenge(ctx context.Context, chain Chain, address string, c WalletChallenge) error
	// TakeChallenge atomically returns and deletes the wallet's challenge,
	// so it verifies at most once even across nodes. ErrNotFound when there
	// is none (never issued, expired, or already taken: a replay).
	TakeChallenge(ctx context.Context, chain Chain, address string) (WalletChallenge, error)
}

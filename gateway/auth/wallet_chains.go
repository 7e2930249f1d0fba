package auth

import (
	"context"
	"encoding/json"
	"time"
)

// The gateway never imports chain/… (docs/ARCHITECTURE.md, enforced by
// depguard): what a chain contributes to wallet sign-in reaches the prover
// through the two interfaces below, which cmd implements over chain/starknet
// and chain/stellar and passes in as WalletChains.

// SignIn is the challenge a wallet signs, rebuilt by the prover from the
// stored nonce (never taken from the client). Each chain renders it in its
// own format; a field a format has no place for is ignored.
type SignIn struct {
	// Address is the wallet's address as the chain normalized it.
	Address string
	// Nonce is the single-use challenge nonce, "0x" hex.
	Nonce string
	// IssuedAt and ExpiresAt are whole seconds, UTC.
	IssuedAt  time.Time
	ExpiresAt time.Time
	// Domain is the host[:port] of Origin, the SIWE-style first line of
	// Stellar messages.
	Domain string
	// Origin is this service's public origin (config PUBLIC_URL); every
	// chain's message carries it.
	Origin string
	// Statement is the human sentence (Statement); StarkNet messages carry it.
	Statement string
}

// StarknetSignIn is StarkNet's part of wallet sign-in: SNIP-12 typed data
// for the configured chain id and the account contract's
// is_valid_signature. Implementations are safe for concurrent use.
type StarknetSignIn interface {
	// NormalizeAddress returns the canonical form of a contract address.
	// Any error means address is not one; the prover reports ErrBadAddress.
	NormalizeAddress(address string) (string, error)
	// NormalizeSignature returns the signature's felts in canonical form.
	// Felts are "0x" hex or decimal strings below the field prime. Any
	// error means it is malformed; the prover reports ErrMalformedSignature.
	NormalizeSignature(signature []string) ([]string, error)
	// TypedData returns the SNIP-12 JSON document the wallet signs for m.
	// An error is a local failure (the prover answers it as internal).
	TypedData(m SignIn) (json.RawMessage, error)
	// Verify asks the account at m.Address whether signature (normalized)
	// signs m's typed data, and returns nil if it does. Its errors wrap
	// ErrInvalidSignature (the account rejects it), ErrAccountNotDeployed
	// (no contract at the address) or ErrChainUnavailable (the node could
	// not answer; a retry may succeed); any other error is a local failure
	// (hashing the message) and answered as internal.
	Verify(ctx context.Context, m SignIn, signature []string) error
}

// StellarSignIn is Stellar's part of wallet sign-in: SEP-53 messages on
// the configured network, checked locally (no node is asked).
// Implementations are safe for concurrent use.
type StellarSignIn interface {
	// NormalizeAddress returns the canonical form of a G… account id. Any
	// error means address is not one; the prover reports ErrBadAddress.
	NormalizeAddress(address string) (string, error)
	// Message returns the text the wallet signs for m.
	Message(m SignIn) string
	// Verify checks that signatureB64 is m.Address's SEP-53 signature of
	// Message(m). Any error means it is not (malformed, other key, other
	// message); the prover reports ErrInvalidSignature.
	Verify(m SignIn, signatureB64 string) error
}

// WalletChains are the chains a WalletProver signs players in with. A nil
// member turns that chain's sign-in off: its calls fail with
// ErrChainUnavailable (cmd leaves StarkNet nil without STARKNET_RPC_URL).
type WalletChains struct {
	Starknet StarknetSignIn
	Stellar  StellarSignIn
}

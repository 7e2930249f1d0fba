package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// StarknetChallenge is the SNIP-12 typed data a StarkNet wallet signs.
type StarknetChallenge struct {
	Address   string
	Nonce     string
	ExpiresAt time.Time
	TypedData json.RawMessage
}

// NewStarknetChallenge issues a challenge for a contract address.
func (p *WalletProver) NewStarknetChallenge(ctx context.Context, address string) (StarknetChallenge, error) {
	sn := p.chains.Starknet
	if sn == nil {
		return StarknetChallenge{}, fmt.Errorf("starknet challenge: not configured: %w", ErrChainUnavailable)
	}
	addr, err := sn.NormalizeAddress(address)
	if err != nil {
		return StarknetChallenge{}, fmt.Errorf("starknet challenge: %w: %w", ErrBadAddress, err)
	}
	c, err := p.newChallenge(ctx, persistence.ChainStarknet, addr)
	if err != nil {
		return StarknetChallenge{}, err
	}
	td, err := sn.TypedData(p.signIn(addr, c))
	if err != nil {
		return StarknetChallenge{}, fmt.Errorf("starknet challenge: %w", err)
	}
	return StarknetChallenge{Address: addr, Nonce: c.Nonce, ExpiresAt: c.ExpiresAt, TypedData: td}, nil
}

// ProveStarknet consumes the address's challenge, rebuilds the typed data
// for the configured chain id and asks the account contract to accept the
// signature; it returns the normalized address. A malformed signature is
// refused before the challenge is consumed.
func (p *WalletProver) ProveStarknet(ctx context.Context, address string, signature []string) (string, error) {
	sn := p.chains.Starknet
	if sn == nil {
		return "", fmt.Errorf("starknet proof: not configured: %w", ErrChainUnavailable)
	}
	addr, err := sn.NormalizeAddress(address)
	if err != nil {
		return "", fmt.Errorf("starknet proof: %w: %w", ErrBadAddress, err)
	}
	sig, err := sn.NormalizeSignature(signature)
	if err != nil {
		return "", fmt.Errorf("starknet proof: %w: %w", ErrMalformedSignature, err)
	}
	c, err := p.takeChallenge(ctx, persistence.ChainStarknet, addr)
	if err != nil {
		return "", err
	}
	if err := sn.Verify(ctx, p.signIn(addr, c), sig); err != nil {
		return "", fmt.Errorf("starknet proof: %w", err)
	}
	return addr, nil
}

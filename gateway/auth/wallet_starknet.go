package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/chain/starknet"
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
	if p.starknet == nil {
		return StarknetChallenge{}, fmt.Errorf("starknet challenge: not configured: %w", ErrChainUnavailable)
	}
	addr, err := starknet.NormalizeAddress(address)
	if err != nil {
		return StarknetChallenge{}, fmt.Errorf("starknet challenge: %w: %w", ErrBadAddress, err)
	}
	c, err := p.newChallenge(ctx, persistence.ChainStarknet, addr)
	if err != nil {
		return StarknetChallenge{}, err
	}
	td, err := starknet.TypedData(p.cfg.StarknetChainID, p.signIn(addr, c))
	if err != nil {
		return StarknetChallenge{}, fmt.Errorf("starknet challenge: %w", err)
	}
	return StarknetChallenge{Address: addr, Nonce: c.Nonce, ExpiresAt: c.ExpiresAt, TypedData: td}, nil
}

// ProveStarknet consumes the address's challenge, rebuilds the typed data
// for the configured chain id and asks the account contract to accept the
// signature; it returns the normalized address.
func (p *WalletProver) ProveStarknet(ctx context.Context, address string, signature []string) (string, error) {
	if p.starknet == nil {
		return "", fmt.Errorf("starknet proof: not configured: %w", ErrChainUnavailable)
	}
	addr, err := starknet.NormalizeAddress(address)
	if err != nil {
		return "", fmt.Errorf("starknet proof: %w: %w", ErrBadAddress, err)
	}
	sig, err := starknet.NormalizeSignature(signature)
	if err != nil {
		return "", fmt.Errorf("starknet proof: %w: %w", ErrInvalidSignature, err)
	}
	c, err := p.takeChallenge(ctx, persistence.ChainStarknet, addr)
	if err != nil {
		return "", err
	}
	hash, err := starknet.MessageHash(p.cfg.StarknetChainID, p.signIn(addr, c))
	if err != nil {
		return "", fmt.Errorf("starknet proof: %w", err)
	}
	if err := p.starknet.Verify(ctx, addr, hash, sig); err != nil {
		return "", fmt.Errorf("starknet proof: %w", starknetFailure(err))
	}
	return addr, nil
}

func (p *WalletProver) signIn(addr string, c persistence.WalletChallenge) starknet.SignIn {
	return starknet.SignIn{Address: addr, Nonce: c.Nonce, IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt, Statement: Statement}
}

// starknetFailure maps the chain package's errors onto the prover's.
func starknetFailure(err error) error {
	switch {
	case errors.Is(err, starknet.ErrInvalidSignature), errors.Is(err, starknet.ErrBadSignature):
		return fmt.Errorf("%w: %w", ErrInvalidSignature, err)
	case errors.Is(err, starknet.ErrAccountNotDeployed):
		return fmt.Errorf("%w: %w", ErrAccountNotDeployed, err)
	default:
		return fmt.Errorf("%w: %w", ErrChainUnavailable, err)
	}
}

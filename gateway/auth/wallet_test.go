package auth

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestWalletProver_UnconfiguredChain: a chain cmd did not wire answers
// ErrChainUnavailable before any nonce is issued or taken (the prover has
// no nonce store here; touching it would panic).
func TestWalletProver_UnconfiguredChain(t *testing.T) {
	t.Parallel()
	p := NewWalletProver(WalletConfig{Origin: "https://proofstell.test", NonceTTL: time.Minute}, nil, WalletChains{},
		time.Now, rand.Reader)
	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"starknet challenge", func(ctx context.Context) error {
			_, err := p.NewStarknetChallenge(ctx, "0x1")
			return err
		}},
		{"starknet proof", func(ctx context.Context) error {
			_, err := p.ProveStarknet(ctx, "0x1", []string{"0x1"})
			return err
		}},
		{"stellar challenge", func(ctx context.Context) error {
			_, err := p.NewStellarChallenge(ctx, "GABC")
			return err
		}},
		{"stellar proof", func(ctx context.Context) error {
			_, err := p.ProveStellar(ctx, "GABC", "c2ln")
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.ErrorIs(t, tc.call(t.Context()), ErrChainUnavailable)
		})
	}
}

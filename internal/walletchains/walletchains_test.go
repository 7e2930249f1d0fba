package walletchains

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/gateway/auth"
)

// TestStarknetFailure_MapsOntoAuth: every verifier error reaches the prover
// as one of auth's classes, the cause kept for the log.
func TestStarknetFailure_MapsOntoAuth(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial tcp: refused")
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"rejected", fmt.Errorf("verify 0x1: %w", starknet.ErrInvalidSignature), auth.ErrInvalidSignature},
		{"malformed", fmt.Errorf("felt 0: %w", starknet.ErrBadSignature), auth.ErrInvalidSignature},
		{"no account", fmt.Errorf("verify 0x1: %w", starknet.ErrAccountNotDeployed), auth.ErrAccountNotDeployed},
		{"node down", fmt.Errorf("verify 0x1: %w: %w", starknet.ErrUnavailable, cause), auth.ErrChainUnavailable},
		{"anything else", cause, auth.ErrChainUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := starknetFailure(tc.err)
			require.ErrorIs(t, got, tc.want)
			require.ErrorIs(t, got, tc.err)
		})
	}
	require.NoError(t, starknetFailure(nil))
}

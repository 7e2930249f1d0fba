package contracttest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// NewNonceStore returns a fresh challenge store of its own namespace.
type NewNonceStore func(t *testing.T) persistence.NonceStore

// NonceStore proves persistence.NonceStore: single use, newest wins, chains
// apart, one winner among concurrent takes, malformed challenges refused.
func NonceStore(t *testing.T, newStore NewNonceStore) {
	t.Helper()
	t.Run("single use", func(t *testing.T) { t.Parallel(); nonceSingleUse(t, newStore(t)) })
	t.Run("concurrent takes, one winner", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		ctx := t.Context()
		require.NoError(t, s.PutChallenge(ctx, persistence.ChainStellar, "GX", ChallengeAt("once")))
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.TakeChallenge(ctx, persistence.ChainStellar, "GX"); err == nil {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		require.Equal(t, int32(1), wins.Load())
	})
	t.Run("malformed refused", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		bad := ChallengeAt("n")
		bad.ExpiresAt = bad.IssuedAt
		require.Error(t, s.PutChallenge(t.Context(), persistence.ChainStarknet, "0xdef", bad))
		require.Error(t, s.PutChallenge(t.Context(), persistence.ChainStarknet, "0xdef", ChallengeAt("")))
		_, err := s.TakeChallenge(t.Context(), persistence.ChainStarknet, "0xdef")
		require.ErrorIs(t, err, persistence.ErrNotFound, "nothing was stored")
	})
}

// ChallengeAt is a five-minute challenge with nonce.
func ChallengeAt(nonce string) persistence.WalletChallenge {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	return persistence.WalletChallenge{Nonce: nonce, IssuedAt: at, ExpiresAt: at.Add(5 * time.Minute)}
}

func nonceSingleUse(t *testing.T, s persistence.NonceStore) {
	ctx := t.Context()
	const addr = "0xabc"
	_, err := s.TakeChallenge(ctx, persistence.ChainStarknet, addr)
	require.ErrorIs(t, err, persistence.ErrNotFound, "never issued")

	require.NoError(t, s.PutChallenge(ctx, persistence.ChainStarknet, addr, ChallengeAt("n1")))
	require.NoError(t, s.PutChallenge(ctx, persistence.ChainStarknet, addr, ChallengeAt("n2")))
	require.NoError(t, s.PutChallenge(ctx, persistence.ChainStellar, addr, ChallengeAt("s1")))
	got, err := s.TakeChallenge(ctx, persistence.ChainStarknet, addr)
	require.NoError(t, err)
	require.Equal(t, ChallengeAt("n2"), got, "the newest challenge replaces older ones")
	_, err = s.TakeChallenge(ctx, persistence.ChainStarknet, addr)
	require.ErrorIs(t, err, persistence.ErrNotFound, "a replay finds nothing")
	other, err := s.TakeChallenge(ctx, persistence.ChainStellar, addr)
	require.NoError(t, err, "chains are separate")
	require.Equal(t, "s1", other.Nonce)
}

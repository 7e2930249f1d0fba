package redis

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func challengeAt(nonce string) persistence.WalletChallenge {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	return persistence.WalletChallenge{Nonce: nonce, IssuedAt: at, ExpiresAt: at.Add(5 * time.Minute)}
}

func TestClient_TakeChallenge_SingleUse(t *testing.T) {
	t.Parallel()
	c := openTest(t, newPrefix(t))
	ctx := context.Background()
	const addr = "0xabc"
	_, err := c.TakeChallenge(ctx, persistence.ChainStarknet, addr)
	require.ErrorIs(t, err, persistence.ErrNotFound, "never issued")

	require.NoError(t, c.PutChallenge(ctx, persistence.ChainStarknet, addr, challengeAt("n1")))
	require.NoError(t, c.PutChallenge(ctx, persistence.ChainStarknet, addr, challengeAt("n2")))
	require.NoError(t, c.PutChallenge(ctx, persistence.ChainStellar, addr, challengeAt("s1")))
	got, err := c.TakeChallenge(ctx, persistence.ChainStarknet, addr)
	require.NoError(t, err)
	require.Equal(t, challengeAt("n2"), got, "the newest challenge replaces older ones")
	_, err = c.TakeChallenge(ctx, persistence.ChainStarknet, addr)
	require.ErrorIs(t, err, persistence.ErrNotFound, "a replay finds nothing")
	other, err := c.TakeChallenge(ctx, persistence.ChainStellar, addr)
	require.NoError(t, err, "chains are separate")
	require.Equal(t, "s1", other.Nonce)
}

func TestClient_PutChallenge_ExpiresWithTheChallenge(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	c := openTest(t, prefix)
	ctx := context.Background()
	require.NoError(t, c.PutChallenge(ctx, persistence.ChainStarknet, "0xdef", challengeAt("n")))
	ttl, err := rawClient(t).PTTL(ctx, prefix+"wnonce:starknet:0xdef").Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 4*time.Minute)
	require.LessOrEqual(t, ttl, 5*time.Minute)
	bad := challengeAt("n")
	bad.ExpiresAt = bad.IssuedAt
	require.Error(t, c.PutChallenge(ctx, persistence.ChainStarknet, "0xdef", bad))
	require.Error(t, c.PutChallenge(ctx, persistence.ChainStarknet, "0xdef", challengeAt("")))
}

func TestClient_TakeChallenge_ConcurrentOnce(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	a, b := openTest(t, prefix), openTest(t, prefix) // two nodes
	ctx := context.Background()
	require.NoError(t, a.PutChallenge(ctx, persistence.ChainStellar, "GX", challengeAt("once")))
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := a
			if i%2 == 1 {
				c = b
			}
			if _, err := c.TakeChallenge(ctx, persistence.ChainStellar, "GX"); err == nil {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	require.Equal(t, int32(1), wins.Load())
}

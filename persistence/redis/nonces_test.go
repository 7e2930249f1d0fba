package redis

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/contracttest"
)

func TestClient_PutChallenge_ExpiresWithTheChallenge(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	c := openTest(t, prefix)
	ctx := context.Background()
	require.NoError(t, c.PutChallenge(ctx, persistence.ChainStarknet, "0xdef", contracttest.ChallengeAt("n")))
	ttl, err := rawClient(t).PTTL(ctx, prefix+"wnonce:starknet:0xdef").Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 4*time.Minute)
	require.LessOrEqual(t, ttl, 5*time.Minute)
	bad := contracttest.ChallengeAt("n")
	bad.ExpiresAt = bad.IssuedAt
	require.Error(t, c.PutChallenge(ctx, persistence.ChainStarknet, "0xdef", bad))
	require.Error(t, c.PutChallenge(ctx, persistence.ChainStarknet, "0xdef", contracttest.ChallengeAt("")))
}

func TestClient_TakeChallenge_ConcurrentOnce(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	a, b := openTest(t, prefix), openTest(t, prefix) // two nodes
	ctx := context.Background()
	require.NoError(t, a.PutChallenge(ctx, persistence.ChainStellar, "GX", contracttest.ChallengeAt("once")))
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

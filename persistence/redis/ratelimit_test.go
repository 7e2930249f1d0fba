package redis

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClient_Allow_redisClock(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	c := openTest(t, prefix)
	for range 2 {
		allowed, _, err := c.Allow(t.Context(), "ip:9", 2, time.Minute)
		require.NoError(t, err)
		require.True(t, allowed)
	}
	allowed, retry, err := c.Allow(t.Context(), "ip:9", 2, time.Minute)
	require.NoError(t, err)
	require.False(t, allowed)
	// One emission interval is 30s; real time passes between the calls.
	require.Greater(t, retry, 25*time.Second)
	require.LessOrEqual(t, retry, 30*time.Second)

	// The state expires by itself once a full window has drained.
	ttl, err := rawClient(t).PTTL(t.Context(), prefix+"rl:ip:9").Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 55*time.Second)
	require.LessOrEqual(t, ttl, time.Minute)
}

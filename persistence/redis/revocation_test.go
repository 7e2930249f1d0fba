package redis

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClient_NotBeforeAndRevoked(t *testing.T) {
	t.Parallel()
	c := openTest(t, newPrefix(t))
	ctx := t.Context()
	at := time.Date(2026, 11, 24, 12, 0, 0, 123e6, time.UTC)

	denied, nbf, err := c.Revoked(ctx, "jti-1", "player-1")
	require.NoError(t, err)
	require.False(t, denied)
	require.True(t, nbf.IsZero())

	require.NoError(t, c.SetNotBefore(ctx, "player-1", at, time.Minute))
	require.NoError(t, c.SetNotBefore(ctx, "player-1", at.Add(-time.Second), time.Second), "never lowered")
	_, nbf, err = c.Revoked(ctx, "jti-1", "player-1")
	require.NoError(t, err)
	require.True(t, at.Equal(nbf), "got %v", nbf)
	ttl, err := rawClient(t).PTTL(ctx, c.key("nbf:", "player-1")).Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 30*time.Second, "the longer ttl is kept")

	require.NoError(t, c.Deny(ctx, "jti-1", time.Now().Add(time.Minute)))
	denied, _, err = c.Revoked(ctx, "jti-1", "player-2")
	require.NoError(t, err)
	require.True(t, denied)
	require.Error(t, c.SetNotBefore(ctx, "player-1", at, 0))
}

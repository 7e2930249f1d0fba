package redis

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/redistest"
	"github.com/proofstell/proofstell/persistence"
)

// TestClient_SetNotBefore_keepsLongerTTL: a shorter ttl never shortens the
// watermark's key (the contract's "never lowered", in Redis TTLs).
func TestClient_SetNotBefore_keepsLongerTTL(t *testing.T) {
	t.Parallel()
	c := openTest(t, newPrefix(t))
	ctx := t.Context()
	at := time.Now().UTC()
	require.NoError(t, c.SetNotBefore(ctx, "player-1", at, time.Minute))
	require.NoError(t, c.SetNotBefore(ctx, "player-1", at.Add(time.Second), time.Second))
	ttl, err := rawClient(t).PTTL(ctx, c.key("nbf:", "player-1")).Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 30*time.Second, "the longer ttl is kept")
}

// TestClient_RestoreMarksIntactUntilLost: the rebuilt marker is written with
// the state it vouches for, and a restart or flush of Redis takes it away, so
// a check can tell a lost denylist from an empty one.
func TestClient_RestoreMarksIntactUntilLost(t *testing.T) {
	tests := []struct {
		name string
		lose func(*redistest.Server)
	}{
		{"restart", (*redistest.Server).Restart},
		{"flush", (*redistest.Server).Flush},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := redistest.Start(t)
			c := openAt(t, srv.URL())
			ctx := t.Context()
			now := time.Now().UTC().Truncate(time.Millisecond)
			state := persistence.RevocationState{
				Tokens:     []persistence.DeniedToken{{TokenID: "jti-live", ExpiresAt: now.Add(time.Minute)}, {TokenID: "jti-old", ExpiresAt: now.Add(-time.Second)}},
				Watermarks: []persistence.Watermark{{PlayerID: "p-live", At: now}, {PlayerID: "p-old", At: now.Add(-time.Hour)}},
				Families:   []persistence.RevokedFamily{{FamilyID: "fam-live", RevokedAt: now}},
			}
			require.NoError(t, c.Restore(ctx, state, 15*time.Minute))

			v, err := c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-live", PlayerID: "p-live", FamilyID: "fam-live"})
			require.NoError(t, err)
			require.Equal(t, persistence.RevocationVerdict{Denied: true, NotBefore: now, FamilyRevoked: true, Intact: true}, v)
			v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-old", PlayerID: "p-old"})
			require.NoError(t, err)
			require.Equal(t, persistence.RevocationVerdict{Intact: true}, v, "what expired is not copied")

			tt.lose(srv)
			v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-live", PlayerID: "p-live", FamilyID: "fam-live"})
			require.NoError(t, err, "go-redis reconnects")
			require.Equal(t, persistence.RevocationVerdict{}, v, "the loss shows as a missing marker")

			srv.Stop()
			_, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-live", PlayerID: "p-live"})
			require.Error(t, err)
			require.Error(t, c.Restore(ctx, state, 15*time.Minute))
		})
	}
}

// TestClient_OnServerChange: a restart (new run_id) is reported once the
// client reconnects; a flush of the same server is not a new server.
func TestClient_OnServerChange(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	c := openAt(t, srv.URL())
	var mu sync.Mutex
	changes := 0
	c.OnServerChange(func() { mu.Lock(); changes++; mu.Unlock() })
	count := func() int { mu.Lock(); defer mu.Unlock(); return changes }

	srv.Flush()
	require.NoError(t, c.Ping(t.Context()))
	require.Zero(t, count(), "same server")
	srv.Restart()
	require.NoError(t, c.Ping(t.Context()), "go-redis reconnects")
	require.Equal(t, 1, count(), "another server process")
}

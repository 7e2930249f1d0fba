package contracttest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
)

// NewRevocationCache returns a fresh cache of its own namespace that reads
// time from now.
type NewRevocationCache func(t *testing.T, now func() time.Time) persistence.RevocationCache

// RevocationCache proves persistence.RevocationCache: each kind of
// revocation answers its own queries, watermarks only rise, Restore copies
// what is still live and marks the cache intact, Distrust takes the mark
// away, and bad ttls are refused.
func RevocationCache(t *testing.T, newCache NewRevocationCache) {
	t.Helper()
	t.Run("revoke and ask", func(t *testing.T) { t.Parallel(); revokeAndAsk(t, newCache) })
	t.Run("restore and distrust", func(t *testing.T) { t.Parallel(); restoreAndDistrust(t, newCache) })
}

func revokeAndAsk(t *testing.T, newCache NewRevocationCache) {
	clock := testclock.New(time.Now().UTC())
	c := newCache(t, clock.Now)
	ctx := t.Context()
	at := clock.Now().Truncate(time.Millisecond)
	q := persistence.RevocationQuery{TokenID: "jti-1", PlayerID: "player-1", FamilyID: "fam-1"}

	v, err := c.Revoked(ctx, q)
	require.NoError(t, err)
	require.Equal(t, persistence.RevocationVerdict{}, v, "nothing revoked, and never restored: not intact")

	require.NoError(t, c.SetNotBefore(ctx, "player-1", at, time.Minute))
	require.NoError(t, c.SetNotBefore(ctx, "player-1", at.Add(-time.Second), time.Second), "never lowered")
	v, err = c.Revoked(ctx, q)
	require.NoError(t, err)
	require.True(t, at.Equal(v.NotBefore), "got %v", v.NotBefore)
	require.Error(t, c.SetNotBefore(ctx, "player-1", at, 0))

	require.NoError(t, c.Deny(ctx, "jti-1", clock.Now().Add(time.Minute)))
	require.NoError(t, c.Deny(ctx, "jti-past", clock.Now().Add(-time.Minute)), "already expired: a no-op")
	v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-1", PlayerID: "player-2"})
	require.NoError(t, err)
	require.Equal(t, persistence.RevocationVerdict{Denied: true}, v)
	v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-past", PlayerID: "player-2"})
	require.NoError(t, err)
	require.False(t, v.Denied)

	require.NoError(t, c.RevokeFamily(ctx, "fam-1", time.Minute))
	require.NoError(t, c.RevokeFamily(ctx, "", time.Minute), "no family: a no-op")
	v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-2", PlayerID: "player-3", FamilyID: "fam-1"})
	require.NoError(t, err)
	require.Equal(t, persistence.RevocationVerdict{FamilyRevoked: true}, v)
	v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-2", PlayerID: "player-3"})
	require.NoError(t, err)
	require.False(t, v.FamilyRevoked, "a token without a family is not revoked by one")
	require.Error(t, c.RevokeFamily(ctx, "fam-1", 0))
}

func restoreAndDistrust(t *testing.T, newCache NewRevocationCache) {
	clock := testclock.New(time.Now().UTC())
	c := newCache(t, clock.Now)
	ctx := t.Context()
	now := clock.Now().Truncate(time.Millisecond)
	state := persistence.RevocationState{
		Tokens: []persistence.DeniedToken{{TokenID: "jti-live", ExpiresAt: now.Add(time.Minute)},
			{TokenID: "jti-old", ExpiresAt: now.Add(-time.Second)}},
		Watermarks: []persistence.Watermark{{PlayerID: "p-live", At: now}, {PlayerID: "p-old", At: now.Add(-time.Hour)}},
		Families:   []persistence.RevokedFamily{{FamilyID: "fam-live", RevokedAt: now}},
	}
	require.Error(t, c.Restore(ctx, state, 0))
	require.NoError(t, c.Restore(ctx, state, 15*time.Minute))

	v, err := c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-live", PlayerID: "p-live", FamilyID: "fam-live"})
	require.NoError(t, err)
	require.Equal(t, persistence.RevocationVerdict{Denied: true, NotBefore: now, FamilyRevoked: true, Intact: true}, v)
	v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-old", PlayerID: "p-old"})
	require.NoError(t, err)
	require.Equal(t, persistence.RevocationVerdict{Intact: true}, v, "what expired is not copied")

	require.NoError(t, c.Distrust(ctx))
	v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-live", PlayerID: "p-live", FamilyID: "fam-live"})
	require.NoError(t, err)
	require.False(t, v.Intact, "distrusted until the next restore")
	require.True(t, v.Denied, "the entries stay; only the mark goes")
	require.NoError(t, c.Restore(ctx, persistence.RevocationState{}, 15*time.Minute))
	v, err = c.Revoked(ctx, persistence.RevocationQuery{TokenID: "jti-live"})
	require.NoError(t, err)
	require.True(t, v.Intact, "a restore marks it intact again")
}

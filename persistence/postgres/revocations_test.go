package postgres_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// TestStore_RevocationLedger: every kind of revocation is answered from the
// ledger, a watermark is never lowered, and a ban refuses on its own.
func TestStore_RevocationLedger(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	now := clk.Now()
	p, banned := newGuest(t, s), newGuest(t, s)
	jti, fam := uuid.NewString(), uuid.NewString()
	require.NoError(t, s.RecordDenied(ctx, persistence.DeniedToken{TokenID: jti, PlayerID: p.ID, ExpiresAt: now.Add(time.Minute)}))
	require.NoError(t, s.RecordDenied(ctx, persistence.DeniedToken{TokenID: jti, PlayerID: p.ID, ExpiresAt: now.Add(time.Minute)}), "idempotent")
	require.NoError(t, s.RecordNotBefore(ctx, persistence.Watermark{PlayerID: p.ID, At: now}))
	require.NoError(t, s.RecordNotBefore(ctx, persistence.Watermark{PlayerID: p.ID, At: now.Add(-time.Hour)}), "never lowered")
	require.NoError(t, s.RecordFamilyRevoked(ctx, persistence.RevokedFamily{FamilyID: fam, PlayerID: p.ID, RevokedAt: now}))
	yes := true
	_, err := s.AdminUpdate(ctx, persistence.SystemActor("test"), banned.ID, persistence.AdminUpdate{Banned: &yes}, now)
	require.NoError(t, err)

	tests := []struct {
		name string
		q    persistence.RevocationQuery
		want persistence.RevocationVerdict
	}{
		{"denied token", persistence.RevocationQuery{TokenID: jti}, persistence.RevocationVerdict{Denied: true, Intact: true}},
		{"watermark", persistence.RevocationQuery{TokenID: uuid.NewString(), PlayerID: p.ID},
			persistence.RevocationVerdict{NotBefore: now, Intact: true}},
		{"family", persistence.RevocationQuery{FamilyID: fam}, persistence.RevocationVerdict{FamilyRevoked: true, Intact: true}},
		{"banned", persistence.RevocationQuery{PlayerID: banned.ID}, persistence.RevocationVerdict{Banned: true, Intact: true}},
		{"nothing", persistence.RevocationQuery{TokenID: uuid.NewString(), PlayerID: uuid.NewString(), FamilyID: uuid.NewString()},
			persistence.RevocationVerdict{Intact: true}},
		{"not uuids", persistence.RevocationQuery{TokenID: "x", PlayerID: "y", FamilyID: "z"}, persistence.RevocationVerdict{Intact: true}},
	}
	for _, tt := range tests {
		got, err := s.Revocation(ctx, tt.q)
		require.NoError(t, err, tt.name)
		require.True(t, tt.want.NotBefore.Equal(got.NotBefore), tt.name)
		got.NotBefore = tt.want.NotBefore
		require.Equal(t, tt.want, got, tt.name)
	}
}

// TestStore_LiveRevocations: a rebuild gets exactly what can still refuse a
// live token, bans included, and pruning drops the rest.
func TestStore_LiveRevocations(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	now := clk.Now()
	since := now.Add(-16 * time.Minute)
	p, old, banned := newGuest(t, s), newGuest(t, s), newGuest(t, s)
	live, expired := uuid.NewString(), uuid.NewString()
	famLive, famOld := uuid.NewString(), uuid.NewString()
	require.NoError(t, s.RecordDenied(ctx, persistence.DeniedToken{TokenID: live, PlayerID: p.ID, ExpiresAt: now.Add(time.Minute)}))
	require.NoError(t, s.RecordDenied(ctx, persistence.DeniedToken{TokenID: expired, PlayerID: p.ID, ExpiresAt: now.Add(-time.Second)}))
	require.NoError(t, s.RecordNotBefore(ctx, persistence.Watermark{PlayerID: p.ID, At: now.Add(-time.Minute)}))
	require.NoError(t, s.RecordNotBefore(ctx, persistence.Watermark{PlayerID: old.ID, At: now.Add(-time.Hour)}))
	require.NoError(t, s.RecordFamilyRevoked(ctx, persistence.RevokedFamily{FamilyID: famLive, PlayerID: p.ID, RevokedAt: now}))
	require.NoError(t, s.RecordFamilyRevoked(ctx, persistence.RevokedFamily{FamilyID: famOld, PlayerID: p.ID, RevokedAt: now.Add(-time.Hour)}))
	yes := true
	_, err := s.AdminUpdate(ctx, persistence.SystemActor("test"), banned.ID, persistence.AdminUpdate{Banned: &yes}, now.Add(-time.Minute))
	require.NoError(t, err)

	st, err := s.LiveRevocations(ctx, since, now)
	require.NoError(t, err)
	require.Len(t, st.Tokens, 1)
	require.Equal(t, live, st.Tokens[0].TokenID)
	require.Len(t, st.Families, 1)
	require.Equal(t, famLive, st.Families[0].FamilyID)
	marks := map[string]time.Time{}
	for _, w := range st.Watermarks {
		marks[w.PlayerID] = w.At
	}
	require.Len(t, marks, 2, "the old watermark is out of the window")
	require.True(t, marks[p.ID].Equal(now.Add(-time.Minute)))
	require.True(t, marks[banned.ID].Equal(now.Add(-time.Minute)), "a ban is a watermark at its time")

	n, err := s.PruneRevocations(ctx, since, now)
	require.NoError(t, err)
	require.EqualValues(t, 3, n, "expired token, old watermark, old family")
	after, err := s.LiveRevocations(ctx, since, now)
	require.NoError(t, err)
	require.Equal(t, st, after, "pruning keeps every live revocation")
}

// TestStore_RotateRefresh_ReuseRevokesFamilyAccess: a reused refresh token
// records its family as revoked in the same transaction, and the refused
// rotation still names the token's player and family.
func TestStore_RotateRefresh_ReuseRevokesFamilyAccess(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	now := clk.Now()
	p := newGuest(t, s)
	fam := uuid.NewString()
	require.NoError(t, s.CreateRefresh(ctx, persistence.RefreshToken{FamilyID: fam, PlayerID: p.ID, Hash: hashOf("r1"), ExpiresAt: now.Add(time.Hour)}))
	_, err := s.RotateRefresh(ctx, hashOf("r1"), persistence.RefreshToken{Hash: hashOf("r2"), ExpiresAt: now.Add(time.Hour)}, now)
	require.NoError(t, err)

	old, err := s.RotateRefresh(ctx, hashOf("r1"), persistence.RefreshToken{Hash: hashOf("r3"), ExpiresAt: now.Add(time.Hour)}, now)
	require.ErrorIs(t, err, persistence.ErrTokenReused)
	require.Equal(t, fam, old.FamilyID)
	require.Equal(t, p.ID, old.PlayerID)
	v, err := s.Revocation(ctx, persistence.RevocationQuery{FamilyID: fam})
	require.NoError(t, err)
	require.True(t, v.FamilyRevoked, "the family's access tokens are revoked too")

	old, err = s.RotateRefresh(ctx, hashOf("r2"), persistence.RefreshToken{Hash: hashOf("r4"), ExpiresAt: now.Add(time.Hour)}, now)
	require.ErrorIs(t, err, persistence.ErrExpired)
	require.Equal(t, p.ID, old.PlayerID, "a refused rotation names its player")
}

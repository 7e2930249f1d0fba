package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
)

// memBus records published events.
type memBus struct {
	mu     sync.Mutex
	events []RevocationEvent
}

func (b *memBus) Publish(_ context.Context, topic string, payload []byte) error {
	ev, err := DecodeRevocationEvent(payload)
	if err != nil {
		return err
	}
	if topic != RevocationTopicPrefix+ev.PlayerID {
		return errors.New("wrong topic " + topic)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events = append(b.events, ev)
	return nil
}

func (b *memBus) all() []RevocationEvent {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]RevocationEvent(nil), b.events...)
}

func TestTokens_BannedAndRoleFromDatabase(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	store := openStore(t, clk.Now)
	tokens := NewTokens(testAuthConfig(), store, store, clk.Now, rand.Reader)
	p := newGuest(t, store, "device-banned-1")
	pair, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)

	forged := p
	forged.Role = persistence.RoleAdmin // a caller's stale or tampered copy
	admin, err := tokens.Issue(t.Context(), forged)
	require.NoError(t, err)
	c, err := tokens.Verify(admin.AccessToken)
	require.NoError(t, err)
	require.Equal(t, string(persistence.RolePlayer), c.Role, "role comes from the database")

	banned := true
	_, err = store.AdminUpdate(t.Context(), persistence.SystemActor("test"), p.ID, persistence.AdminUpdate{Banned: &banned}, clk.Now())
	require.NoError(t, err)
	_, err = tokens.Issue(t.Context(), p)
	require.ErrorIs(t, err, ErrBanned)
	_, _, err = tokens.Refresh(t.Context(), pair.RefreshToken)
	require.ErrorIs(t, err, ErrBanned)
}

// TestTokens_RefreshBannedAfterRevocation: the ban revoked every refresh
// token (LogoutAll), yet refreshing answers "banned" (403), not "expired"
// (401), both for the current token and for a rotated one.
func TestTokens_RefreshBannedAfterRevocation(t *testing.T) {
	t.Parallel()
	e := newRevocationEnv(t)
	p := newGuest(t, e.store, "device-banned-refresh")
	pair, err := e.tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	rotated, _, err := e.tokens.Refresh(t.Context(), pair.RefreshToken)
	require.NoError(t, err)
	e.ban(t, p.ID)

	for name, token := range map[string]string{"current": rotated.RefreshToken, "rotated": pair.RefreshToken} {
		_, _, err = e.tokens.Refresh(t.Context(), token)
		require.ErrorIs(t, err, ErrBanned, name)
	}
}

func TestDecodeRevocationEvent(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`{}`, `{"playerId":"p"}`, `{"playerId":"p","reason":"x"}`, `nope`,
		`{"playerId":"p","reason":"family_revoked"}`} {
		_, err := DecodeRevocationEvent([]byte(bad))
		require.Error(t, err, bad)
	}
	ev, err := DecodeRevocationEvent([]byte(`{"playerId":"p","reason":"banned"}`))
	require.NoError(t, err)
	require.Equal(t, RevocationEvent{PlayerID: "p", Reason: ReasonBanned}, ev)
	ev, err = DecodeRevocationEvent([]byte(`{"playerId":"p","sessionId":"s","reason":"family_revoked"}`))
	require.NoError(t, err)
	require.Equal(t, RevocationEvent{PlayerID: "p", SessionID: "s", Reason: ReasonFamilyRevoked}, ev)
}

func FuzzDecodeRevocationEvent(f *testing.F) {
	f.Add([]byte(`{"playerId":"p","tokenId":"t","reason":"logout"}`))
	f.Add([]byte(`{"playerId":"","reason":"banned"}`))
	f.Add([]byte(`{"playerId":"p","sessionId":"s","reason":"family_revoked"}`))
	f.Add([]byte(`{"playerId":"p","reason":"family_revoked"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := DecodeRevocationEvent(b)
		if err == nil {
			require.NotEmpty(t, ev.PlayerID)
		}
	})
}

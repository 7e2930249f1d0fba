package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
)

// memRevocations is an in-memory RevocationStore recording what was set.
type memRevocations struct {
	denied    map[string]time.Time
	notBefore map[string]time.Time
	err       error
}

func newMemRevocations() *memRevocations {
	return &memRevocations{denied: map[string]time.Time{}, notBefore: map[string]time.Time{}}
}

func (m *memRevocations) Deny(_ context.Context, jti string, until time.Time) error {
	m.denied[jti] = until
	return m.err
}

func (m *memRevocations) SetNotBefore(_ context.Context, id string, at time.Time, _ time.Duration) error {
	m.notBefore[id] = at
	return m.err
}

func (m *memRevocations) Revoked(_ context.Context, jti, id string) (bool, time.Time, error) {
	_, ok := m.denied[jti]
	return ok, m.notBefore[id], m.err
}

// memBus records published events.
type memBus struct{ events []RevocationEvent }

func (b *memBus) Publish(_ context.Context, topic string, payload []byte) error {
	ev, err := DecodeRevocationEvent(payload)
	if err != nil {
		return err
	}
	if topic != RevocationTopicPrefix+ev.PlayerID {
		return errors.New("wrong topic " + topic)
	}
	b.events = append(b.events, ev)
	return nil
}

func TestRevocation_LogoutAndLogoutAll(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	store := openStore(t, clk.Now)
	tokens := NewTokens(testAuthConfig(), store, store, clk.Now, rand.Reader)
	mem, bus := newMemRevocations(), &memBus{}
	rev := NewRevocation(tokens, mem, bus, nil)
	p := newGuest(t, store, "device-revocation-1")
	one, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	two, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	c1, err := tokens.Verify(one.AccessToken)
	require.NoError(t, err)
	require.NotEmpty(t, c1.SessionID)
	require.NoError(t, rev.Check(t.Context(), c1))

	require.NoError(t, rev.Logout(t.Context(), c1))
	require.ErrorIs(t, rev.Check(t.Context(), c1), ErrRevoked)
	require.Equal(t, c1.ExpiresAt, mem.denied[c1.TokenID], "denied until expiry")
	_, _, err = tokens.Refresh(t.Context(), one.RefreshToken)
	require.ErrorIs(t, err, ErrExpiredToken, "this session's refresh family is revoked")
	c2, err := rev.CheckToken(t.Context(), two.AccessToken)
	require.NoError(t, err, "other session lives")

	clk.Advance(time.Second)
	require.NoError(t, rev.LogoutAll(t.Context(), p.ID, ReasonLogoutAll))
	require.ErrorIs(t, rev.Check(t.Context(), c2), ErrRevoked, "issued before the watermark")
	_, _, err = tokens.Refresh(t.Context(), two.RefreshToken)
	require.ErrorIs(t, err, ErrExpiredToken)
	require.Equal(t, []RevocationEvent{
		{PlayerID: p.ID, TokenID: c1.TokenID, Reason: ReasonLogout},
		{PlayerID: p.ID, Reason: ReasonLogoutAll},
	}, bus.events)

	clk.Advance(time.Millisecond)
	three, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	_, err = rev.CheckToken(t.Context(), three.AccessToken)
	require.NoError(t, err, "issued after the watermark")
}

func TestRevocation_FailsClosed(t *testing.T) {
	t.Parallel()
	mem := newMemRevocations()
	mem.err = errors.New("redis down")
	rev := NewRevocation(newVerifier(t), mem, &memBus{}, nil)
	err := rev.Check(t.Context(), Claims{PlayerID: "p", TokenID: "j", IssuedAt: testNow})
	require.ErrorIs(t, err, ErrRevocationUnavailable)
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
	_, err = store.AdminUpdate(t.Context(), p.ID, persistence.AdminUpdate{Banned: &banned}, clk.Now())
	require.NoError(t, err)
	_, err = tokens.Issue(t.Context(), p)
	require.ErrorIs(t, err, ErrBanned)
	_, _, err = tokens.Refresh(t.Context(), pair.RefreshToken)
	require.ErrorIs(t, err, ErrBanned)
}

func TestDecodeRevocationEvent(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`{}`, `{"playerId":"p"}`, `{"playerId":"p","reason":"x"}`, `nope`} {
		_, err := DecodeRevocationEvent([]byte(bad))
		require.Error(t, err, bad)
	}
	ev, err := DecodeRevocationEvent([]byte(`{"playerId":"p","reason":"banned"}`))
	require.NoError(t, err)
	require.Equal(t, RevocationEvent{PlayerID: "p", Reason: ReasonBanned}, ev)
}

func FuzzDecodeRevocationEvent(f *testing.F) {
	f.Add([]byte(`{"playerId":"p","tokenId":"t","reason":"logout"}`))
	f.Add([]byte(`{"playerId":"","reason":"banned"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := DecodeRevocationEvent(b)
		if err == nil {
			require.NotEmpty(t, ev.PlayerID)
		}
	})
}

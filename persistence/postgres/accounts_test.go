package postgres_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// fakeHash is shaped like a bcrypt hash (the schema checks its length).
var fakeHash = []byte("$2a$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234")

func newAccount(username, email string) persistence.NewAccount {
	return persistence.NewAccount{Username: username, Email: email, PasswordHash: fakeHash}
}

func TestStore_CreateAccount(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	a, err := s.CreateAccount(ctx, newAccount("Whacker_1", "whacker@example.com"))
	require.NoError(t, err)
	require.Equal(t, persistence.RolePlayer, a.Player.Role)
	require.True(t, a.CreatedAt.Equal(clk.Now()))

	got, err := s.AccountByEmail(ctx, "WHACKER@Example.com")
	require.NoError(t, err, "lookup ignores case")
	require.Equal(t, a, got)
	byID, err := s.AccountByPlayer(ctx, a.Player.ID)
	require.NoError(t, err)
	require.Equal(t, a, byID)

	tests := []struct {
		name string
		new  persistence.NewAccount
		want error
	}{
		{"username taken in another case", newAccount("WHACKER_1", "other@example.com"), persistence.ErrUsernameTaken},
		{"email taken in another case", newAccount("fresh_name", "Whacker@EXAMPLE.com"), persistence.ErrEmailTaken},
	}
	for _, tc := range tests {
		_, err := s.CreateAccount(ctx, tc.new)
		require.ErrorIs(t, err, tc.want, tc.name)
		require.ErrorIs(t, err, persistence.ErrConflict, tc.name)
	}
	// The failed email registration left no orphan player holding the name.
	_, err = s.CreateAccount(ctx, newAccount("fresh_name", "fresh@example.com"))
	require.NoError(t, err)
	_, err = s.AccountByEmail(ctx, "nobody@example.com")
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_UpgradeGuest_KeepsHistory(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	device := "device-" + uuid.NewString()
	guest, _, err := s.GuestByDevice(ctx, device)
	require.NoError(t, err)
	ss := newSession(t, s, guest.ID, clk.Now())
	_, err = s.CommitResults(ctx, []persistence.GameResult{soloResult(ss, guest, 12, clk.Now().Add(time.Minute))})
	require.NoError(t, err)

	a, err := s.UpgradeGuest(ctx, guest.ID, newAccount("", "guest@example.com"))
	require.NoError(t, err)
	require.Equal(t, guest, a.Player, "same player, same name when none is given")
	st, err := s.Stats(ctx, guest.ID)
	require.NoError(t, err)
	require.Equal(t, int64(12), st.BestScore, "history kept")

	again, created, err := s.GuestByDevice(ctx, device)
	require.NoError(t, err)
	require.True(t, created, "the device no longer opens the upgraded account")
	require.NotEqual(t, guest.ID, again.ID)

	_, err = s.UpgradeGuest(ctx, guest.ID, newAccount("", "second@example.com"))
	require.ErrorIs(t, err, persistence.ErrAlreadyRegistered)
	_, err = s.UpgradeGuest(ctx, uuid.NewString(), newAccount("", "ghost@example.com"))
	require.ErrorIs(t, err, persistence.ErrNotFound)
	_, err = s.UpgradeGuest(ctx, again.ID, newAccount("", "GUEST@example.com"))
	require.ErrorIs(t, err, persistence.ErrEmailTaken)
}

func TestStore_UpgradeGuest_Rename(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := ctxT(t)
	taken := newGuest(t, s)
	guest := newGuest(t, s)
	_, err := s.UpgradeGuest(ctx, guest.ID, newAccount(taken.Username, "g@example.com"))
	require.ErrorIs(t, err, persistence.ErrUsernameTaken)
	_, err = s.AccountByPlayer(ctx, guest.ID)
	require.ErrorIs(t, err, persistence.ErrNotFound, "a failed upgrade writes nothing")

	a, err := s.UpgradeGuest(ctx, guest.ID, newAccount("New_Name", "g@example.com"))
	require.NoError(t, err)
	require.Equal(t, "New_Name", a.Player.Username)
	got, err := s.AccountByPlayer(ctx, guest.ID)
	require.NoError(t, err)
	require.Equal(t, "New_Name", got.Player.Username, "the players row was renamed")
}

func TestStore_MarkEmailVerified_FirstProofWins(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	a, err := s.CreateAccount(ctx, newAccount("verify_me", "v@example.com"))
	require.NoError(t, err)
	require.True(t, a.EmailVerifiedAt.IsZero())
	first := clk.Now().Add(time.Minute)
	require.NoError(t, s.MarkEmailVerified(ctx, a.Player.ID, first))
	require.NoError(t, s.MarkEmailVerified(ctx, a.Player.ID, first.Add(time.Hour)))
	got, err := s.AccountByPlayer(ctx, a.Player.ID)
	require.NoError(t, err)
	require.True(t, got.EmailVerifiedAt.Equal(first))
	require.ErrorIs(t, s.MarkEmailVerified(ctx, newGuest(t, s).ID, first), persistence.ErrNotFound)
}

func TestStore_SetPassword_RevokesSessions(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	a, err := s.CreateAccount(ctx, newAccount("resetter", "r@example.com"))
	require.NoError(t, err)
	hash := []byte(uuid.NewString())
	require.NoError(t, s.CreateRefresh(ctx, persistence.RefreshToken{PlayerID: a.Player.ID, Hash: hash,
		ExpiresAt: clk.Now().Add(time.Hour)}))

	newHash := []byte("$2a$04$zyxwvutsrqponmlkjihgfeZYXWVUTSRQPONMLKJIHGFEDCBA98765")
	require.NoError(t, s.SetPassword(ctx, a.Player.ID, newHash))
	got, err := s.AccountByPlayer(ctx, a.Player.ID)
	require.NoError(t, err)
	require.Equal(t, newHash, got.PasswordHash)
	_, err = s.RotateRefresh(ctx, hash, persistence.RefreshToken{ExpiresAt: clk.Now().Add(time.Hour)}, clk.Now())
	require.ErrorIs(t, err, persistence.ErrExpired, "the reset revoked the old session")
	require.ErrorIs(t, s.SetPassword(ctx, newGuest(t, s).ID, newHash), persistence.ErrNotFound)
}

// tokenHash is a distinct 32-byte hash per call.
func tokenHash() []byte {
	id := uuid.New()
	return append(id[:], id[:]...)
}

func TestStore_ConsumeEmailToken(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	a, err := s.CreateAccount(ctx, newAccount("tokens", "t@example.com"))
	require.NoError(t, err)
	now := clk.Now()
	mk := func(p persistence.TokenPurpose, ttl time.Duration) []byte {
		h := tokenHash()
		require.NoError(t, s.CreateEmailToken(ctx, persistence.EmailToken{Hash: h, PlayerID: a.Player.ID, Purpose: p, ExpiresAt: now.Add(ttl)}))
		return h
	}
	older, fresh, expired := mk(persistence.PurposeResetPassword, time.Hour), mk(persistence.PurposeResetPassword, time.Hour),
		mk(persistence.PurposeResetPassword, time.Second)
	verify := mk(persistence.PurposeVerifyEmail, time.Hour)

	_, err = s.ConsumeEmailToken(ctx, expired, persistence.PurposeResetPassword, now.Add(time.Second))
	require.ErrorIs(t, err, persistence.ErrExpired, "expiry is checked")
	_, err = s.ConsumeEmailToken(ctx, verify, persistence.PurposeResetPassword, now)
	require.ErrorIs(t, err, persistence.ErrNotFound, "a verification token cannot reset a password")
	_, err = s.ConsumeEmailToken(ctx, tokenHash(), persistence.PurposeResetPassword, now)
	require.ErrorIs(t, err, persistence.ErrNotFound)

	peek, err := s.EmailToken(ctx, fresh, persistence.PurposeResetPassword, now)
	require.NoError(t, err)
	require.Equal(t, a.Player.ID, peek.PlayerID)
	got, err := s.ConsumeEmailToken(ctx, fresh, persistence.PurposeResetPassword, now)
	require.NoError(t, err, "peeking did not consume")
	require.Equal(t, a.Player.ID, got.PlayerID)
	_, err = s.ConsumeEmailToken(ctx, fresh, persistence.PurposeResetPassword, now)
	require.ErrorIs(t, err, persistence.ErrNotFound, "single use")
	_, err = s.EmailToken(ctx, older, persistence.PurposeResetPassword, now)
	require.ErrorIs(t, err, persistence.ErrNotFound, "using one link retires its siblings")
	_, err = s.ConsumeEmailToken(ctx, verify, persistence.PurposeVerifyEmail, now)
	require.NoError(t, err, "other purposes are untouched")
}

func TestStore_ConsumeEmailToken_ConcurrentOnce(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	a, err := s.CreateAccount(ctx, newAccount("racer", "race@example.com"))
	require.NoError(t, err)
	h := tokenHash()
	require.NoError(t, s.CreateEmailToken(ctx, persistence.EmailToken{Hash: h, PlayerID: a.Player.ID,
		Purpose: persistence.PurposeVerifyEmail, ExpiresAt: clk.Now().Add(time.Hour)}))
	const racers = 8
	errs := make([]error, racers)
	done := make(chan struct{})
	for i := range racers {
		go func() {
			_, errs[i] = s.ConsumeEmailToken(ctx, h, persistence.PurposeVerifyEmail, clk.Now())
			done <- struct{}{}
		}()
	}
	for range racers {
		<-done
	}
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		require.ErrorIs(t, err, persistence.ErrNotFound)
	}
	require.Equal(t, 1, wins)
}

var _ persistence.AccountStore = (*postgres.Store)(nil)

package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

func TestMain(m *testing.M) {
	// go-redis re-dials a stopped server from a goroutine that ends within
	// a second of the client closing.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/redis/go-redis/v9/internal/pool.(*ConnPool).tryDial"))
}

// openStore returns a store on a fresh migrated database.
func openStore(t testing.TB, now func() time.Time) *postgres.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	store, err := postgres.Open(ctx, config.Database{URL: pgtest.NewDatabase(t), MaxConns: 4}, now)
	require.NoError(t, err)
	t.Cleanup(store.Close)
	return store
}

// newGuest creates a player through the real store.
func newGuest(t testing.TB, store *postgres.Store, device string) persistence.Player {
	t.Helper()
	p, _, err := store.GuestByDevice(t.Context(), device)
	require.NoError(t, err)
	return p
}

func TestTokens_Issue(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	store := openStore(t, clk.Now)
	tokens := NewTokens(testAuthConfig(), store, store, clk.Now, rand.Reader)
	p := newGuest(t, store, "device-issue-1")

	pair, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	require.Equal(t, 15*time.Minute, pair.ExpiresIn)
	raw, err := base64.RawURLEncoding.DecodeString(pair.RefreshToken)
	require.NoError(t, err)
	require.Len(t, raw, refreshBytes)

	claims, err := tokens.Verify(pair.AccessToken)
	require.NoError(t, err)
	require.Equal(t, Claims{PlayerID: p.ID, Username: p.Username, Role: string(p.Role),
		TokenID: claims.TokenID, ExpiresAt: testNow.Add(15 * time.Minute)}, Claims{
		PlayerID: claims.PlayerID, Username: claims.Username, Role: claims.Role,
		TokenID: claims.TokenID, ExpiresAt: claims.ExpiresAt.UTC()})

	second, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	require.NotEqual(t, pair.RefreshToken, second.RefreshToken)
	secondClaims, err := tokens.Verify(second.AccessToken)
	require.NoError(t, err)
	require.NotEqual(t, claims.TokenID, secondClaims.TokenID)
}

func TestTokens_Refresh(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	store := openStore(t, clk.Now)
	tokens := NewTokens(testAuthConfig(), store, store, clk.Now, rand.Reader)
	p := newGuest(t, store, "device-refresh-1")
	first, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)

	clk.Advance(time.Hour)
	second, got, err := tokens.Refresh(t.Context(), first.RefreshToken)
	require.NoError(t, err)
	require.Equal(t, p.ID, got.ID)
	require.NotEqual(t, first.RefreshToken, second.RefreshToken)
	claims, err := tokens.Verify(second.AccessToken)
	require.NoError(t, err)
	require.Equal(t, p.ID, claims.PlayerID)
	require.Equal(t, clk.Now().Add(15*time.Minute), claims.ExpiresAt.UTC())

	third, _, err := tokens.Refresh(t.Context(), second.RefreshToken)
	require.NoError(t, err)
	require.NotEmpty(t, third.RefreshToken)
}

func TestTokens_RefreshReuse(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	store := openStore(t, clk.Now)
	var logs bytes.Buffer
	tokens := NewTokens(testAuthConfig(), store, store, clk.Now, rand.Reader)
	tokens.logger = slog.New(slog.NewJSONHandler(&logs, nil))
	p := newGuest(t, store, "device-reuse-1")
	first, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	second, _, err := tokens.Refresh(t.Context(), first.RefreshToken)
	require.NoError(t, err)

	// An attacker replays the rotated token: the whole family dies,
	// including the legitimate client's current token.
	_, _, err = tokens.Refresh(t.Context(), first.RefreshToken)
	require.ErrorIs(t, err, persistence.ErrTokenReused)
	require.Contains(t, logs.String(), `"level":"WARN"`)
	require.Contains(t, logs.String(), "security.refresh_reuse")
	require.NotContains(t, logs.String(), first.RefreshToken)

	_, _, err = tokens.Refresh(t.Context(), second.RefreshToken)
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrExpiredToken) || errors.Is(err, persistence.ErrTokenReused), "got %v", err)

	// Another sign-in (a new family) is unaffected.
	other, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	_, _, err = tokens.Refresh(t.Context(), other.RefreshToken)
	require.NoError(t, err)
}

func TestTokens_RefreshRejects(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	store := openStore(t, clk.Now)
	tokens := NewTokens(testAuthConfig(), store, store, clk.Now, rand.Reader)
	p := newGuest(t, store, "device-rejects-1")
	expiring, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)

	tests := []struct {
		name    string
		token   string
		at      time.Time
		wantErr error
	}{
		{"unknown", "bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtMDAwMDAwMDAwMDA", testNow, ErrInvalidToken},
		{"empty", "", testNow, ErrInvalidToken},
		{"expired", expiring.RefreshToken, testNow.Add(7*24*time.Hour + time.Second), ErrExpiredToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk.Set(tc.at)
			_, _, err := tokens.Refresh(t.Context(), tc.token)
			require.ErrorIs(t, err, tc.wantErr)
		})
	}
}

func TestTokens_RefreshConcurrentRotation(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	store := openStore(t, clk.Now)
	tokens := NewTokens(testAuthConfig(), store, store, clk.Now, rand.Reader)
	p := newGuest(t, store, "device-race-1")
	pair, err := tokens.Issue(t.Context(), p)
	require.NoError(t, err)

	// Two clients race one token: exactly one rotation may win.
	const racers = 4
	var wg sync.WaitGroup
	var wins atomic.Int32
	for range racers {
		wg.Go(func() {
			if _, _, err := tokens.Refresh(context.Background(), pair.RefreshToken); err == nil {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	require.Equal(t, int32(1), wins.Load())
}

func TestTokens_Issue_DeterministicRandom(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	store := openStore(t, clk.Now)
	p := newGuest(t, store, "device-determinism")
	issue := func() Pair {
		tokens := NewTokens(testAuthConfig(), store, store, clk.Now, bytes.NewReader(bytes.Repeat([]byte{7}, 4096)))
		pair, err := tokens.Issue(t.Context(), p)
		require.NoError(t, err)
		return pair
	}
	first := issue()
	require.Equal(t, base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{7}, refreshBytes)), first.RefreshToken)
	_, err := NewTokens(testAuthConfig(), store, store, clk.Now, bytes.NewReader(nil)).Issue(t.Context(), p)
	require.Error(t, err, "an exhausted random source must fail, not issue weak tokens")
}

package auth

import (
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
)

// TestTokens_CacheVerified: an accepted token is answered from memory (it
// still verifies after the secret is swapped under it, which only the
// cache can explain), until its exp; refused tokens are never remembered.
func TestTokens_CacheVerified(t *testing.T) {
	t.Parallel()
	clk := testclock.New(testNow)
	tokens := NewTokens(testAuthConfig(), nil, nil, clk.Now, rand.Reader)
	tokens.CacheVerified(16)
	good := signHS(t, jwt.SigningMethodHS256, testSecret, goodClaims())
	forged := signHS(t, jwt.SigningMethodHS256, "not-our-secret-not-our-secret-32", goodClaims())

	want, err := tokens.Verify(good)
	require.NoError(t, err)
	_, err = tokens.Verify(forged)
	require.ErrorIs(t, err, ErrInvalidToken)

	tokens.cfg.JWTSecret, tokens.cfg.JWTSecretPrevious = "rotated-away-rotated-away-rotated", ""
	got, err := tokens.Verify(good)
	require.NoError(t, err, "answered from the cache")
	require.Equal(t, want, got)
	_, err = tokens.Verify(forged)
	require.ErrorIs(t, err, ErrInvalidToken, "a refused token is not remembered")

	tokens.cfg = testAuthConfig()
	clk.Advance(15 * time.Minute)
	_, err = tokens.Verify(good)
	require.ErrorIs(t, err, ErrExpiredToken, "a cached token still expires at its exp")
}

// TestTokens_CacheVerifiedIsBounded: the cache never holds more than its
// limit, and a token in use survives the turnover of the others.
func TestTokens_CacheVerifiedIsBounded(t *testing.T) {
	t.Parallel()
	tokens := newVerifier(t)
	tokens.CacheVerified(8)
	hot := signHS(t, jwt.SigningMethodHS256, testSecret, goodClaims())
	for i := range 100 {
		_, err := tokens.Verify(signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"jti": fmt.Sprint(i)})))
		require.NoError(t, err)
		_, err = tokens.Verify(hot)
		require.NoError(t, err)
		require.LessOrEqual(t, tokens.verified.size(), 8)
	}
	tokens.cfg.JWTSecret, tokens.cfg.JWTSecretPrevious = "rotated-away-rotated-away-rotated", ""
	_, err := tokens.Verify(hot)
	require.NoError(t, err, "the hot token is still cached")

	tokens.CacheVerified(0)
	_, err = tokens.Verify(hot)
	require.ErrorIs(t, err, ErrInvalidToken, "no cache: verified with the current secret")
}

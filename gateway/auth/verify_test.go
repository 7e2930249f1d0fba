package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
)

const (
	testSecret     = "current-secret-0123456789abcdef0123456789"
	testPrevSecret = "previous-secret-0123456789abcdef012345678"
)

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// testAuthConfig is the Auth section every test in this package signs with.
func testAuthConfig() config.Auth {
	cfg := config.Default().Auth
	cfg.JWTSecret = testSecret
	cfg.JWTSecretPrevious = testPrevSecret
	return cfg
}

// newVerifier returns Tokens without stores: enough to sign and verify.
func newVerifier(t testing.TB) *Tokens {
	t.Helper()
	return NewTokens(testAuthConfig(), nil, nil, func() time.Time { return testNow }, rand.Reader)
}

// goodClaims are claims Verify accepts at testNow.
func goodClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":  "proofstell",
		"aud":  "proofstell-players",
		"sub":  "8d7f8f5e-3f4c-4d7e-9b9a-0a4b1c2d3e4f",
		"role": "player",
		"name": "mole-123",
		"jti":  "0b5b2b35-1111-4222-8333-444455556666",
		"iat":  testNow.Unix(),
		"exp":  testNow.Add(15 * time.Minute).Unix(),
	}
}

// with returns goodClaims changed by edit (a nil value deletes the claim).
func with(edit map[string]any) jwt.MapClaims {
	c := goodClaims()
	for k, v := range edit {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// signHS signs claims with HMAC method m and key.
func signHS(t testing.TB, m jwt.SigningMethod, key string, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString([]byte(key))
	require.NoError(t, err)
	return s
}

// rawToken assembles a token from a literal header, claims and signature so
// tests can send headers a well-behaved library would never produce.
func rawToken(t testing.TB, header string, c jwt.MapClaims, sig func(signing string) string) string {
	t.Helper()
	payload, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SigningString()
	require.NoError(t, err)
	body := payload[strings.IndexByte(payload, '.')+1:]
	signing := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + body
	return signing + "." + sig(signing)
}

// hmacSig signs s with HS256 and key, as an attacker who knows a key would.
func hmacSig(t testing.TB, key string) func(string) string {
	t.Helper()
	return func(s string) string {
		b, err := jwt.SigningMethodHS256.Sign(s, []byte(key))
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
}

func TestTokens_Verify(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	rs256, err := jwt.NewWithClaims(jwt.SigningMethodRS256, goodClaims()).SignedString(rsaKey)
	require.NoError(t, err)
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, goodClaims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	valid := signHS(t, jwt.SigningMethodHS256, testSecret, goodClaims())

	tests := []struct {
		name    string
		token   string
		wantErr error
	}{
		{"valid current secret", valid, nil},
		{"previous secret accepted", signHS(t, jwt.SigningMethodHS256, testPrevSecret, goodClaims()), nil},
		{"wrong secret", signHS(t, jwt.SigningMethodHS256, "attacker-secret-0123456789abcdef", goodClaims()), ErrInvalidToken},
		{"forged signature", valid[:len(valid)-4] + "AAAA", ErrInvalidToken},
		{"forged payload", rawToken(t, `{"alg":"HS256","typ":"JWT"}`, with(map[string]any{"role": "admin"}),
			func(string) string { return valid[strings.LastIndexByte(valid, '.')+1:] }), ErrInvalidToken},
		{"alg none", none, ErrInvalidToken},
		{"alg none lowercase header", rawToken(t, `{"alg":"none"}`, goodClaims(), func(string) string { return "" }), ErrInvalidToken},
		{"RS256 signed", rs256, ErrInvalidToken},
		{"RS256 header with hmac signature", rawToken(t, `{"alg":"RS256","typ":"JWT"}`, goodClaims(), hmacSig(t, testSecret)), ErrInvalidToken},
		{"HS512 with our secret", signHS(t, jwt.SigningMethodHS512, testSecret, goodClaims()), ErrInvalidToken},
		{"wrong audience", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"aud": "other"})), ErrInvalidToken},
		{"missing audience", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"aud": nil})), ErrInvalidToken},
		{"wrong issuer", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"iss": "evil"})), ErrInvalidToken},
		{"missing issuer", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"iss": nil})), ErrInvalidToken},
		{"expired", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"exp": testNow.Add(-time.Second).Unix()})), ErrExpiredToken},
		{"missing exp", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"exp": nil})), ErrInvalidToken},
		{"unknown role", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"role": "root"})), ErrInvalidToken},
		{"missing role", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"role": nil})), ErrInvalidToken},
		{"missing sub", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"sub": nil})), ErrInvalidToken},
		{"issued in the future", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"iat": testNow.Add(time.Hour).Unix()})), ErrInvalidToken},
		{"exp as string", signHS(t, jwt.SigningMethodHS256, testSecret, with(map[string]any{"exp": "tomorrow"})), ErrInvalidToken},
		{"garbage", "not-a-jwt", ErrInvalidToken},
		{"empty", "", ErrInvalidToken},
		{"two segments", "eyJhbGciOiJIUzI1NiJ9.e30", ErrInvalidToken},
	}
	v := newVerifier(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			claims, err := v.Verify(tc.token)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, Claims{}, claims)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "8d7f8f5e-3f4c-4d7e-9b9a-0a4b1c2d3e4f", claims.PlayerID)
			require.Equal(t, "mole-123", claims.Username)
			require.Equal(t, "player", claims.Role)
			require.Equal(t, testNow.Add(15*time.Minute), claims.ExpiresAt.UTC())
		})
	}
}

func TestTokens_Verify_RoundTrip(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	p := persistence.Player{ID: "4a4a4a4a-1111-4222-8333-444455556666", Username: "guest-7", Role: persistence.RoleAdmin}
	token, err := v.signAccess(p, "")
	require.NoError(t, err)

	claims, err := v.Verify(token)
	require.NoError(t, err)
	require.Equal(t, p.ID, claims.PlayerID)
	require.Equal(t, p.Username, claims.Username)
	require.Equal(t, string(p.Role), claims.Role)
	require.NotEmpty(t, claims.TokenID)

	later := NewTokens(testAuthConfig(), nil, nil, func() time.Time { return testNow.Add(16 * time.Minute) }, rand.Reader)
	_, err = later.Verify(token)
	require.ErrorIs(t, err, ErrExpiredToken)
}

func FuzzVerify(f *testing.F) {
	f.Add(signHS(f, jwt.SigningMethodHS256, testSecret, goodClaims()))
	f.Add(signHS(f, jwt.SigningMethodHS256, testSecret, with(map[string]any{"sub": nil})))
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("a.b.c")
	f.Add("")
	v := newVerifier(f)
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := v.Verify(token)
		if err != nil {
			require.Equal(t, Claims{}, claims)
			return
		}
		require.NotEmpty(t, claims.PlayerID)
		require.True(t, claims.ExpiresAt.After(testNow))
	})
}

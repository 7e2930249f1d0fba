package rest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

const testSecret = "rest-test-secret-0123456789abcdef0123456789"

// testNow is the fixed clock of every test: Tuesday of ISO week 48, 2026.
var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	// go-redis re-dials a stopped server (the Redis-down tests) from a
	// goroutine that ends within a second of the client closing.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/redis/go-redis/v9/internal/pool.(*ConnPool).tryDial"))
}

// harness is a router wired like production, with a fixed clock.
type harness struct {
	handler http.Handler
	tokens  *auth.Tokens
	boards  *memBoards
	logs    *syncBuffer
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testAuth is the token configuration of the tests.
func testAuth() config.Auth {
	cfg := config.Default().Auth
	cfg.JWTSecret = testSecret
	return cfg
}

// newHarness builds a router over players, sessions and tokens (any may be
// nil for tests that never reach them); edit adjusts Deps before building.
func newHarness(t testing.TB, tokens *auth.Tokens, players persistence.PlayerStore,
	sessions persistence.SessionStore, edit func(*Deps),
) *harness {
	t.Helper()
	if tokens == nil {
		tokens = auth.NewTokens(testAuth(), nil, nil, func() time.Time { return testNow }, rand.Reader)
	}
	h := &harness{tokens: tokens, boards: newMemBoards(), logs: &syncBuffer{}}
	httpCfg := config.Default().HTTP
	httpCfg.MaxBodyBytes = 1 << 10
	deps := Deps{
		Config:       httpCfg,
		Env:          config.EnvTest,
		Logger:       slog.New(slog.NewJSONHandler(h.logs, nil)),
		Now:          func() time.Time { return testNow },
		Tokens:       tokens,
		Players:      players,
		Sessions:     sessions,
		Leaderboards: h.boards,
	}
	if edit != nil {
		edit(&deps)
	}
	h.handler = NewRouter(deps)
	return h
}

// request describes one call; Token "" sends no Authorization header.
type request struct {
	Method      string
	Path        string
	Body        string
	ContentType string
	Token       string
	Header      map[string]string
}

// do runs req through the router.
func (h *harness) do(t testing.TB, req request) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader = http.NoBody
	if req.Body != "" {
		body = strings.NewReader(req.Body)
	}
	r := httptest.NewRequest(req.Method, req.Path, body)
	if req.Body != "" {
		ct := req.ContentType
		if ct == "" {
			ct = "application/json"
		}
		r.Header.Set("Content-Type", ct)
	}
	if req.Token != "" {
		r.Header.Set("Authorization", "Bearer "+req.Token)
	}
	for k, v := range req.Header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.handler.ServeHTTP(w, r)
	return w
}

// get is do for an authenticated or public GET.
func (h *harness) get(t testing.TB, path, token string) *httptest.ResponseRecorder {
	t.Helper()
	return h.do(t, request{Method: http.MethodGet, Path: path, Token: token})
}

// decode parses a JSON response body into v.
func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v), "body: %s", w.Body.String())
	return v
}

// requireError checks w is an error response with status and code in the
// one error shape, carrying the request id it echoed.
func requireError(t testing.TB, w *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	require.Equal(t, status, w.Code, "body: %s", w.Body.String())
	require.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	var body map[string]map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), "body: %s", w.Body.String())
	e, ok := body["error"]
	require.True(t, ok, "body: %s", w.Body.String())
	require.Len(t, body, 1)
	require.Equal(t, code, e["code"])
	require.NotEmpty(t, e["message"])
	require.Contains(t, e, "details")
	require.Equal(t, w.Header().Get(headerRequestID), e["requestId"])
	require.NotEmpty(t, e["requestId"])
}

// accessClaims returns the claims of a valid access token for playerID
// at testNow, for tests that edit them before signing.
func accessClaims(playerID string) jwt.MapClaims {
	cfg := testAuth()
	return jwt.MapClaims{
		"iss": cfg.Issuer, "aud": cfg.Audience, "sub": playerID, "role": "player",
		"name": "player-" + playerID[:4], "jti": "6f1c3a52-7c55-4b83-9f0e-2a0d6e7e1d10",
		"iat": testNow.Unix(), "exp": testNow.Add(cfg.AccessTTL).Unix(),
	}
}

// sign signs claims with HS256 and the test secret.
func sign(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(testSecret))
	require.NoError(t, err)
	return s
}

// tokenFor is a valid access token for playerID (who need not exist).
func tokenFor(t testing.TB, playerID string) string {
	t.Helper()
	return sign(t, accessClaims(playerID))
}

// httptestRequest is a request bound to ctx.
func httptestRequest(ctx context.Context, method, path string) *http.Request {
	return httptest.NewRequestWithContext(ctx, method, path, http.NoBody)
}

// serve runs r through the router.
func serve(h *harness, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.handler.ServeHTTP(w, r)
	return w
}

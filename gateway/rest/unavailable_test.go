package rest

import (
	"crypto/rand"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// TestRouter_PostgresDownAnswers503 stops a real PostgreSQL under the
// router: sign-in and authenticated reads answer 503 unavailable with
// Retry-After, never 500 internal, both on the pool's terminated
// connections and on refused new ones.
func TestRouter_PostgresDownAnswers503(t *testing.T) {
	t.Parallel()
	srv := pgtest.StartServer(t)
	store, err := postgres.Open(t.Context(), config.Database{URL: srv.URL(), MaxConns: 4},
		func() time.Time { return testNow })
	require.NoError(t, err)
	t.Cleanup(store.Close)
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	h := newHarness(t, tokens, store, store, nil)
	tok := signIn(t, h, "device-postgres-down")
	reads := []request{
		{Method: "GET", Path: "/api/v1/players/me", Token: tok.AccessToken},
		{Method: "GET", Path: "/api/v1/players/me/sessions", Token: tok.AccessToken},
		{Method: "POST", Path: "/api/v1/auth/guest", Body: `{"deviceId":"device-postgres-down"}`},
		{Method: "POST", Path: "/api/v1/auth/refresh", Body: `{"refreshToken":"` + tok.RefreshToken + `"}`},
	}
	for _, req := range reads[:2] {
		require.Equal(t, http.StatusOK, h.do(t, req).Code, req.Path)
	}

	srv.Stop()
	for round := range 3 { // the pool's terminated connections first, then refused dials
		for _, req := range reads {
			w := h.do(t, req)
			requireError(t, w, http.StatusServiceUnavailable, CodeUnavailable)
			require.Equal(t, unavailableRetryAfter, w.Header().Get("Retry-After"), "round %d %s", round, req.Path)
		}
	}
	require.NotContains(t, h.logs.String(), `"level":"ERROR"`, "an outage is logged as a warning")
}

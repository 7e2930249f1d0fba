package rest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/golang-jwt/jwt/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/runtime/grains"
)

const playerA = "0f5c2a8e-8a51-4a1e-9d43-111111111111"

func TestRouter_SecurityHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	requests := []request{
		{Method: http.MethodGet, Path: "/api/v1/health/live"},
		{Method: http.MethodGet, Path: "/nope"},
		{Method: http.MethodDelete, Path: "/api/v1/health/live"},
		{Method: http.MethodGet, Path: "/api/v1/players/me"},
		{Method: http.MethodPost, Path: "/api/v1/auth/guest", Body: "x", ContentType: "text/plain"},
		{Method: http.MethodOptions, Path: "/api/v1/players/me", Header: map[string]string{
			"Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET"}},
	}
	want := map[string]string{
		"Content-Security-Policy":   "default-src 'none'; frame-ancestors 'none'",
		"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
		"X-Frame-Options":           "DENY",
		"X-Content-Type-Options":    "nosniff",
		"Referrer-Policy":           "no-referrer",
	}
	for _, req := range requests {
		t.Run(req.Method+" "+req.Path, func(t *testing.T) {
			t.Parallel()
			w := h.do(t, req)
			for k, v := range want {
				require.Equal(t, v, w.Header().Get(k), k)
			}
		})
	}
}

func TestRouter_RequestID(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	tests := []struct {
		name   string
		header string
		echoed bool
	}{
		{"echoed", "trace-abc.123_x", true},
		{"generated when absent", "", false},
		{"replaced when unsafe", "bad id\r\nX-Evil: 1", false},
		{"replaced when too long", strings.Repeat("a", 65), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := h.do(t, request{Method: http.MethodGet, Path: "/api/v1/nope",
				Header: map[string]string{headerRequestID: tc.header}})
			requireError(t, w, http.StatusNotFound, CodeNotFound)
			got := w.Header().Get(headerRequestID)
			if tc.echoed {
				require.Equal(t, tc.header, got)
				return
			}
			require.NotEqual(t, tc.header, got)
			require.Regexp(t, validRequestID, got)
		})
	}
}

func TestRouter_CORS(t *testing.T) {
	t.Parallel()
	preflight := func(origin string) request {
		return request{Method: http.MethodOptions, Path: "/api/v1/auth/guest", Header: map[string]string{
			"Origin": origin, "Access-Control-Request-Method": "POST",
			"Access-Control-Request-Headers": "content-type"}}
	}
	simple := func(origin string) request {
		return request{Method: http.MethodGet, Path: "/api/v1/health/live", Header: map[string]string{"Origin": origin}}
	}
	tests := []struct {
		name            string
		origins         []string
		req             request
		wantStatus      int
		wantOrigin      string
		wantCredentials string
	}{
		{"allowed simple", nil, simple("http://localhost:5173"), 200, "http://localhost:5173", "true"},
		{"denied simple", nil, simple("https://evil.example"), 200, "", ""},
		{"allowed preflight", nil, preflight("http://localhost:3000"), 204, "http://localhost:3000", "true"},
		{"denied preflight", nil, preflight("https://evil.example"), 403, "", ""},
		{"no origin", nil, request{Method: http.MethodGet, Path: "/api/v1/health/live"}, 200, "", ""},
		{"wildcard without credentials", []string{"*"}, simple("https://any.example"), 200, "*", ""},
		{"wildcard preflight", []string{"*"}, preflight("https://any.example"), 204, "*", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil, nil, nil, func(d *Deps) {
				if tc.origins != nil {
					d.Config.AllowedOrigins = tc.origins
				}
			})
			w := h.do(t, tc.req)
			require.Equal(t, tc.wantStatus, w.Code)
			require.Equal(t, tc.wantOrigin, w.Header().Get("Access-Control-Allow-Origin"))
			require.Equal(t, tc.wantCredentials, w.Header().Get("Access-Control-Allow-Credentials"))
			if tc.wantStatus == http.StatusForbidden {
				requireError(t, w, http.StatusForbidden, CodeForbidden)
			}
			if tc.wantStatus == http.StatusNoContent {
				require.Contains(t, w.Header().Get("Access-Control-Allow-Methods"), "POST")
				require.Contains(t, w.Header().Get("Access-Control-Allow-Methods"), "PATCH", "profile and admin edits from the web client")
				require.Contains(t, w.Header().Get("Access-Control-Allow-Headers"), "Content-Type")
			}
		})
	}
}

func TestRouter_NotFoundAndMethodNotAllowed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	tests := []struct {
		method, path string
		status       int
		code         string
	}{
		{http.MethodGet, "/nope", http.StatusNotFound, CodeNotFound},
		{http.MethodGet, "/api/v1/nope", http.StatusNotFound, CodeNotFound},
		{http.MethodGet, "/api/v2/health/live", http.StatusNotFound, CodeNotFound},
		{http.MethodGet, "/api/v1/auth/guest", http.StatusMethodNotAllowed, CodeMethodNotAllowed},
		{http.MethodDelete, "/api/v1/health/live", http.StatusMethodNotAllowed, CodeMethodNotAllowed},
		{http.MethodPost, "/api/v1/players/me", http.StatusMethodNotAllowed, CodeMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			requireError(t, h.do(t, request{Method: tc.method, Path: tc.path}), tc.status, tc.code)
		})
	}
}

func TestRouter_Recovery(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	h.boards.panics = true
	w := h.get(t, "/api/v1/leaderboards/global", "")
	requireError(t, w, http.StatusInternalServerError, CodeInternal)
	require.NotContains(t, w.Body.String(), "exploded")
	logs := h.logs.String()
	require.Contains(t, logs, "handler panic")
	require.Contains(t, logs, "leaderboard exploded")
	require.Contains(t, logs, "goroutine") // the stack
}

// publicRoutes are the only routes reachable without a token. /ws is
// registered for every method and authenticates by itself.
var publicRoutes = map[string]bool{
	"POST /api/v1/auth/guest":          true,
	"POST /api/v1/auth/refresh":        true,
	"GET /api/v1/leaderboards/{board}": true,
	"GET /api/v1/modes":                true,
	"GET /api/v1/sessions/{id}/replay": true,
	"GET /api/v1/health/live":          true,
	"GET /api/v1/health/ready":         true,
	"GET /metrics":                     true,
	"GET /api/v1/avatars/{file}":       true,
	"GET " + apiDocsPage:               true,
	"GET " + apiDocsDocument:           true,
}

// isPublic reports whether a route is marked public: listed above, or
// registered by the account and wallet public hooks (each slice marks its
// own public routes there).
func isPublic(t *testing.T, method, route string) bool {
	t.Helper()
	if publicRoutes[method+" "+route] {
		return true
	}
	a := &api{}
	r := chi.NewRouter()
	r.Route("/api/v1", func(r chi.Router) {
		a.accountPublicRoutes(r)
		a.walletPublicRoutes(r)
		a.badgeRoutes(r, nil)
		a.periodRoutes(r, PeriodDeps{})
		a.challengeRoutes(r, nil)
		a.translationRoutes(r, nil)
		a.unsubscribeRoutes(r, NotificationDeps{})
	})
	found := false
	require.NoError(t, chi.Walk(r, func(m, rt string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		found = found || (m == method && rt == route)
		return nil
	}))
	return found
}

// TestRouter_DenyByDefault walks every registered route: any route not in
// publicRoutes must refuse a request without a token.
func TestRouter_DenyByDefault(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := newHarness(t, nil, nil, nil, func(d *Deps) { d.Metrics, d.WebSocket = ok, ok })
	routes, isRoutes := h.handler.(chi.Routes)
	require.True(t, isRoutes)
	var walked int
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		walked++
		if isPublic(t, method, route) || route == "/ws" {
			return nil
		}
		path := strings.NewReplacer("{board}", "global", "{id}", playerA).Replace(route)
		w := h.do(t, request{Method: method, Path: path})
		if w.Code != http.StatusUnauthorized {
			return fmt.Errorf("%s %s: status %d without a token", method, route, w.Code)
		}
		return nil
	})
	require.NoError(t, err)
	require.GreaterOrEqual(t, walked, 12)
}

func TestRouter_Authenticate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	h.boards.offer("global", "all", entry(playerA, 10, 0))
	valid := tokenFor(t, playerA)
	expired := accessClaims(playerA)
	expired["exp"] = testNow.Unix() - 1
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, accessClaims(playerA)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	wrongSecret, err := jwt.NewWithClaims(jwt.SigningMethodHS256, accessClaims(playerA)).SignedString([]byte("other-secret-0123456789abcdef"))
	require.NoError(t, err)
	tests := []struct {
		name   string
		header string
		status int
	}{
		{"valid", "Bearer " + valid, http.StatusOK},
		{"lower-case scheme", "bearer " + valid, http.StatusOK},
		{"missing", "", http.StatusUnauthorized},
		{"basic scheme", "Basic dXNlcjpwYXNz", http.StatusUnauthorized},
		{"bearer without token", "Bearer ", http.StatusUnauthorized},
		{"tampered", "Bearer " + valid[:len(valid)-3] + "abc", http.StatusUnauthorized},
		{"expired", "Bearer " + sign(t, expired), http.StatusUnauthorized},
		{"alg none", "Bearer " + none, http.StatusUnauthorized},
		{"wrong secret", "Bearer " + wrongSecret, http.StatusUnauthorized},
		{"garbage", "Bearer garbage", http.StatusUnauthorized},
		{"wrong audience", "Bearer " + sign(t, withClaim(accessClaims(playerA), "aud", "other-service")), http.StatusUnauthorized},
		{"unknown role", "Bearer " + sign(t, withClaim(accessClaims(playerA), "role", "root")), http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := h.do(t, request{Method: http.MethodGet, Path: "/api/v1/leaderboards/global/me",
				Header: map[string]string{"Authorization": tc.header}})
			if tc.status == http.StatusOK {
				require.Equal(t, http.StatusOK, w.Code, w.Body.String())
				return
			}
			requireError(t, w, tc.status, CodeUnauthorized)
			require.NotEmpty(t, w.Header().Get("WWW-Authenticate"))
		})
	}
}

func TestRouter_UnavailableDependencies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"grain unavailable", fmt.Errorf("top: %w", grains.ErrUnavailable), http.StatusServiceUnavailable, CodeUnavailable},
		{"deadline", fmt.Errorf("top: %w", context.DeadlineExceeded), http.StatusServiceUnavailable, CodeUnavailable},
		{"unexpected", fmt.Errorf("top: secret cause"), http.StatusInternalServerError, CodeInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil, nil, nil, nil)
			h.boards.fail = tc.err
			w := h.get(t, "/api/v1/leaderboards/global", "")
			requireError(t, w, tc.status, tc.code)
			require.NotContains(t, w.Body.String(), "secret cause")
			require.NotContains(t, w.Body.String(), "grain")
		})
	}
}

func TestRouter_MetricsAndAccessLog(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	h := newHarness(t, nil, nil, nil, func(d *Deps) { d.Registerer = reg })
	h.boards.offer("daily", "2026-11-24", entry(playerA, 3, 0))
	w := h.do(t, request{Method: http.MethodGet, Path: "/api/v1/leaderboards/daily/me", Token: tokenFor(t, playerA),
		Header: map[string]string{headerRequestID: "req-metrics-1"}})
	require.Equal(t, http.StatusOK, w.Code)
	h.get(t, "/api/v1/some/random/path", "")

	route := "/api/v1/leaderboards/{board}/me"
	m := newHTTPMetrics(reg) // the same collectors, found through the registry
	require.InDelta(t, 1, testutil.ToFloat64(m.requests.WithLabelValues(route, "GET", "200")), 0)
	require.InDelta(t, 1, testutil.ToFloat64(m.requests.WithLabelValues("unmatched", "GET", "404")), 0)
	require.Equal(t, 2, testutil.CollectAndCount(m.duration)) // one series per route label
	require.NotContains(t, gatherLabels(t, reg), "/api/v1/leaderboards/daily/me")
	require.NotContains(t, gatherLabels(t, reg), "/api/v1/some/random/path")

	logs := h.logs.String()
	require.Contains(t, logs, `"request_id":"req-metrics-1"`)
	require.Contains(t, logs, `"user_id":"`+playerA+`"`)
	require.Contains(t, logs, `"route":"`+route+`"`)
}

// gatherLabels renders every label value in reg, to check no raw path leaked.
func gatherLabels(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	families, err := reg.Gather()
	require.NoError(t, err)
	var b strings.Builder
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				b.WriteString(l.GetValue() + "\n")
			}
		}
	}
	return b.String()
}

func TestRouter_RootMounts(t *testing.T) {
	t.Parallel()
	teapot := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := newHarness(t, nil, nil, nil, func(d *Deps) { d.Metrics, d.WebSocket = teapot, teapot })
	require.Equal(t, http.StatusTeapot, h.get(t, "/metrics", "").Code)
	require.Equal(t, http.StatusTeapot, h.get(t, "/ws", "").Code)
	requireError(t, h.get(t, "/api/v1/metrics", ""), http.StatusNotFound, CodeNotFound)

	bare := newHarness(t, nil, nil, nil, nil)
	requireError(t, bare.get(t, "/metrics", ""), http.StatusNotFound, CodeNotFound)
	requireError(t, bare.get(t, "/ws", ""), http.StatusNotFound, CodeNotFound)
}

// withClaim returns claims with key set to v.
func withClaim(claims jwt.MapClaims, key string, v any) jwt.MapClaims {
	claims[key] = v
	return claims
}

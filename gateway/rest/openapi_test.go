package rest

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/internal/openapi"
	"github.com/proofstell/proofstell/persistence"
)

// Stand-ins that only make NewRouter mount the routes of optional
// dependencies; the route walk never calls them.
type (
	routedAccounts struct{ persistence.AccountStore }
	routedLockout  struct{ persistence.Lockout }
	routedMail     struct{ MailQueue }
)

// notREST are the routes outside the REST API: the realtime gateways, which
// docs/asyncapi.yaml describes (internal/asyncapi checks them), and the
// play page (gateway/playpage).
var notREST = map[string]bool{"/ws": true, "/socket.io/": true, "/play": true, "/play/*": true}

// chiParam matches a chi parameter with a regexp ({id:[0-9]+}).
var chiParam = regexp.MustCompile(`\{([^}:]+):[^}]*\}`)

// fullHarness is a router with every optional route mounted.
func fullHarness(t *testing.T) *harness {
	t.Helper()
	return newHarness(t, nil, nil, nil, func(d *Deps) {
		d.Config.APIDocs = true
		d.Metrics = http.NotFoundHandler()
		d.WebSocket, d.SocketIO, d.Play = http.NotFoundHandler(), http.NotFoundHandler(), http.NotFoundHandler()
		d.Accounts = AccountDeps{Store: routedAccounts{}, Lockout: routedLockout{}, Passwords: &auth.Passwords{},
			Letters: &mail.Letters{}, Mail: routedMail{}}
		d.Wallets = WalletDeps{Prover: &auth.WalletProver{}}
	})
}

// routedOperations walks a router with every optional route mounted and
// returns "METHOD /path" of each REST route.
func routedOperations(t *testing.T) []string {
	t.Helper()
	routes, ok := fullHarness(t).handler.(chi.Routes)
	require.True(t, ok, "NewRouter returns a chi router")
	var out []string
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !notREST[route] {
			out = append(out, method+" "+chiParam.ReplaceAllString(route, "{$1}"))
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(out)
	return out
}

// documentedOperations returns "METHOD /path" of every operation of
// docs/openapi.yaml.
func documentedOperations(t *testing.T) []string {
	t.Helper()
	doc, err := openapi.Embedded(t.Context())
	require.NoError(t, err)
	var out []string
	for _, op := range doc.Operations() {
		out = append(out, op.String())
	}
	sort.Strings(out)
	return out
}

// docs/openapi.yaml describes exactly the routes chi serves: a route added
// without documenting it, or a documented route that is gone, fails here.
func TestRouter_MatchesOpenAPIDocument(t *testing.T) {
	t.Parallel()
	routed, documented := routedOperations(t), documentedOperations(t)
	require.Empty(t, difference(routed, documented),
		"routed but missing from docs/openapi.yaml (document them, with their x-error-codes)")
	require.Empty(t, difference(documented, routed), "documented in docs/openapi.yaml but not routed")
	require.Greater(t, len(routed), 40, "the walk saw the whole API")
}

// An operation is public in docs/openapi.yaml (security: []) exactly when
// the router serves it without a token: an authenticated route answers a
// request without one 401 before its handler runs.
func TestRouter_OpenAPISecurityMatchesAuthentication(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Embedded(t.Context())
	require.NoError(t, err)
	h := fullHarness(t)
	path := strings.NewReplacer("{board}", "global", "{period}", "all", "{id}", playerA, "{playerId}", playerA,
		"{file}", "missing.png")
	for _, op := range doc.Operations() {
		w := h.do(t, request{Method: op.Method, Path: path.Replace(op.Path)})
		authenticated := w.Code == http.StatusUnauthorized && strings.Contains(w.Body.String(), "missing bearer token")
		require.Equal(t, !authenticated, op.Public,
			"%s: security in docs/openapi.yaml disagrees with the router (answered %d without a token)", op, w.Code)
	}
}

// difference returns the elements of a that are not in b.
func difference(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}

// The docs are served, public, under the API's security headers; the page's
// CSP adds only its stylesheet's hash.
func TestRouter_ServesAPIDocs(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	page := h.do(t, request{Method: http.MethodGet, Path: apiDocsPage})
	require.Equal(t, http.StatusOK, page.Code)
	require.True(t, strings.HasPrefix(page.Header().Get("Content-Type"), "text/html"))
	csp := page.Header().Get("Content-Security-Policy")
	require.True(t, strings.HasPrefix(csp, "default-src 'none'; style-src 'sha256-"), csp)
	require.Contains(t, csp, "frame-ancestors 'none'")
	require.NotContains(t, csp, "script-src")
	require.Equal(t, "DENY", page.Header().Get("X-Frame-Options"))
	require.NotContains(t, page.Body.String(), "<script")

	doc := h.do(t, request{Method: http.MethodGet, Path: apiDocsDocument})
	require.Equal(t, http.StatusOK, doc.Code)
	require.Equal(t, "application/json; charset=utf-8", doc.Header().Get("Content-Type"))
	require.Equal(t, "default-src 'none'; frame-ancestors 'none'", doc.Header().Get("Content-Security-Policy"))
	require.Contains(t, doc.Body.String(), `"openapi":"3.1.0"`)
}

// With APIDocs off (production's default) both routes are unknown.
func TestRouter_APIDocsOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, func(d *Deps) {
		d.Env = "production"
		d.Config.APIDocs = false
	})
	for _, path := range []string{apiDocsPage, apiDocsDocument} {
		rec := h.do(t, request{Method: http.MethodGet, Path: path})
		require.Equal(t, http.StatusNotFound, rec.Code, path)
		require.Contains(t, rec.Body.String(), `"code":"not_found"`, path)
		require.Equal(t, "default-src 'none'; frame-ancestors 'none'", rec.Header().Get("Content-Security-Policy"))
	}
}

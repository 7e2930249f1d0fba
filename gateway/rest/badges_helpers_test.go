package rest

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// signedIn is a player with a valid access token carrying its role.
type signedIn struct {
	ID          string
	AccessToken string
}

// badgeHarness is a router with the badge routes over a real store, an
// admin and a plain player signed in.
type badgeHarness struct {
	*harness
	store  *postgres.Store
	admin  signedIn
	player signedIn
}

// newBadgeRouter mounts badgeRoutes the way routes() does: request ids,
// /api/v1, a public group, and an authenticated group requiring a known
// role. (routes() gains the two calls when the lead wires the slice.)
func newBadgeRouter(deps Deps) http.Handler {
	a := &api{Deps: deps, logger: deps.Logger, now: deps.Now, tokens: deps.Tokens}
	r := chi.NewRouter()
	r.Use(withRequestID)
	r.NotFound(a.handle(notFound))
	r.MethodNotAllowed(a.handle(methodNotAllowed))
	r.Route("/api/v1", func(r chi.Router) {
		r.Group(func(r chi.Router) { a.badgeRoutes(r, nil) })
		r.Group(func(r chi.Router) {
			r.Use(a.authenticate, a.requireRole(allRoles...))
			a.badgeRoutes(nil, r)
		})
	})
	return r
}

// newBadgeHarness builds the badge router over a fresh database.
func newBadgeHarness(t testing.TB) *badgeHarness {
	t.Helper()
	store := openStore(t)
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	httpCfg := config.Default().HTTP
	httpCfg.MaxBodyBytes = 1 << 10
	h := &harness{tokens: tokens, logs: &syncBuffer{}}
	h.handler = newBadgeRouter(Deps{Config: httpCfg, Env: config.EnvTest, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewJSONHandler(h.logs, nil)), Tokens: tokens, Badges: BadgeDeps{Store: store}})
	return &badgeHarness{harness: h, store: store, admin: newSignedIn(t, store, persistence.RoleAdmin),
		player: newSignedIn(t, store, persistence.RolePlayer)}
}

// newSignedIn creates a guest with role and signs its token.
func newSignedIn(t testing.TB, store *postgres.Store, role persistence.Role) signedIn {
	t.Helper()
	p, _, err := store.GuestByDevice(t.Context(), "device-"+uuid.NewString())
	require.NoError(t, err)
	claims := accessClaims(p.ID)
	claims["role"] = string(role)
	return signedIn{ID: p.ID, AccessToken: sign(t, claims)}
}

// send runs one request with an optional token and JSON body.
func (h *badgeHarness) send(t testing.TB, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	return h.do(t, request{Method: method, Path: path, Token: token, Body: body})
}

// badgeBySlug finds a badge of the public catalogue.
func (h *badgeHarness) badgeBySlug(t testing.TB, slug string) badgeJSON {
	t.Helper()
	w := h.get(t, "/api/v1/badges", "")
	require.Equal(t, 200, w.Code, w.Body.String())
	for _, b := range decode[badgesResponse](t, w).Badges {
		if b.Slug == slug {
			return b
		}
	}
	require.Failf(t, "badge not found", "slug %s", slug)
	return badgeJSON{}
}

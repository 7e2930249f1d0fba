package rest

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// newMintRouter mounts mintRoutes the way routes() will: request ids,
// /api/v1 and the authenticated group.
func newMintRouter(deps Deps, mints MintDeps) http.Handler {
	a := &api{Deps: deps, logger: deps.Logger, now: deps.Now, tokens: deps.Tokens}
	r := chi.NewRouter()
	r.Use(withRequestID)
	r.NotFound(a.handle(notFound))
	r.Route("/api/v1", func(r chi.Router) {
		r.Group(func(r chi.Router) {
			r.Use(a.authenticate, a.requireRole(allRoles...))
			a.mintRoutes(r, mints)
		})
	})
	return r
}

// newMintHarness builds the mint router over store (nil: not configured).
func newMintHarness(t testing.TB, store *postgres.Store, mints MintDeps) *harness {
	t.Helper()
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	h := &harness{tokens: tokens, logs: &syncBuffer{}}
	h.handler = newMintRouter(Deps{Config: config.Default().HTTP, Env: config.EnvTest, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewJSONHandler(h.logs, nil)), Tokens: tokens}, mints)
	return h
}

// mintableBadge returns the seeded mintable classic-30 badge.
func mintableBadge(t *testing.T, store *postgres.Store) persistence.Badge {
	t.Helper()
	all, err := store.Badges(t.Context(), true)
	require.NoError(t, err)
	for _, b := range all {
		if b.Slug == "classic-30" {
			require.True(t, b.Mintable)
			return b
		}
	}
	require.FailNow(t, "classic-30 not seeded")
	return persistence.Badge{}
}

func TestAPI_MyMints(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	h := newMintHarness(t, store, MintDeps{Store: store})
	linked, bare := newSignedIn(t, store, persistence.RolePlayer), newSignedIn(t, store, persistence.RolePlayer)
	addr := fmt.Sprintf("0x%064x", 0xbadce)
	_, err := store.LinkWallet(t.Context(), linked.ID, persistence.ChainStarknet, addr)
	require.NoError(t, err)
	b := mintableBadge(t, store)
	for _, p := range []signedIn{linked, bare} {
		_, err = store.AwardBadge(t.Context(), p.ID, b.ID, persistence.SourceAuto)
		require.NoError(t, err)
	}

	w := h.get(t, "/api/v1/players/me/mints", linked.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[mintsResponse](t, w).Mints
	require.Len(t, got, 1)
	require.Equal(t, mintJSON{ID: got[0].ID, BadgeID: b.ID, Chain: "starknet", Recipient: addr,
		TokenID: persistence.MintTokenID(b.ID, linked.ID), Status: "pending", CreatedAt: testNow, UpdatedAt: testNow}, got[0])

	w = h.get(t, "/api/v1/players/me/mints", bare.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"mints":[]}`, w.Body.String(), "no wallet, no mint; an empty list, not null")

	w = h.get(t, "/api/v1/players/me/mints", "")
	require.Equal(t, http.StatusUnauthorized, w.Code)
}

func TestAPI_MyMints_NotConfigured(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	h := newMintHarness(t, store, MintDeps{})
	p := newSignedIn(t, store, persistence.RolePlayer)
	w := h.get(t, "/api/v1/players/me/mints", p.AccessToken)
	require.Equal(t, http.StatusInternalServerError, w.Code)
}

package rest

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
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
			a.mintReadRoutes(r, mints)
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

// TestAPI_MintReadsAndRetry: a mint is visible to its owner and to admins
// only (others get 404); admins list by status and put a failed mint back
// in the queue, and nothing else can be retried.
func TestAPI_MintReadsAndRetry(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	store, err := postgres.Open(t.Context(), config.Database{URL: url, MaxConns: 4}, func() time.Time { return testNow })
	require.NoError(t, err)
	t.Cleanup(store.Close)
	h := newMintHarness(t, store, MintDeps{Store: store})
	owner, other := newSignedIn(t, store, persistence.RolePlayer), newSignedIn(t, store, persistence.RolePlayer)
	admin := newSignedIn(t, store, persistence.RoleAdmin)
	_, err = store.LinkWallet(t.Context(), owner.ID, persistence.ChainStarknet, fmt.Sprintf("0x%064x", 0xfee))
	require.NoError(t, err)
	_, err = store.AwardBadge(t.Context(), owner.ID, mintableBadge(t, store).ID, persistence.SourceAuto)
	require.NoError(t, err)
	mine := decode[mintsResponse](t, h.get(t, "/api/v1/players/me/mints", owner.AccessToken)).Mints
	require.Len(t, mine, 1)
	path := "/api/v1/mints/" + mine[0].ID

	require.Equal(t, http.StatusOK, h.get(t, path, owner.AccessToken).Code)
	require.Equal(t, http.StatusOK, h.get(t, path, admin.AccessToken).Code)
	requireError(t, h.get(t, path, other.AccessToken), http.StatusNotFound, CodeNotFound)
	requireError(t, h.get(t, "/api/v1/mints/00000000-0000-4000-8000-000000000000", owner.AccessToken), http.StatusNotFound, CodeNotFound)

	list := h.get(t, "/api/v1/admin/mints?status=pending", admin.AccessToken)
	require.Equal(t, http.StatusOK, list.Code, list.Body.String())
	require.Len(t, decode[mintsResponse](t, list).Mints, 1)
	requireError(t, h.get(t, "/api/v1/admin/mints?status=lost", admin.AccessToken), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.get(t, "/api/v1/admin/mints?status=pending", owner.AccessToken), http.StatusForbidden, CodeForbidden)

	retryPath := "/api/v1/admin/mints/" + mine[0].ID + "/retry"
	retry := request{Method: "POST", Path: retryPath, Token: admin.AccessToken}
	requireError(t, h.do(t, retry), http.StatusConflict, CodeConflict) // pending: never sent twice
	failMint(t, url, mine[0].ID)
	w := h.do(t, retry)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, "pending", decode[mintJSON](t, w).Status)
	require.Empty(t, decode[mintJSON](t, w).Reason)
	requireError(t, h.do(t, request{Method: "POST", Path: retryPath, Token: owner.AccessToken}), http.StatusForbidden, CodeForbidden)
}

// failMint marks a mint failed the way the chain writer does after a revert.
func failMint(t *testing.T, url, id string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(t.Context()) }()
	_, err = conn.Exec(t.Context(), `UPDATE mint_requests SET status = 'failed', reason = 'reverted' WHERE id = $1`, id)
	require.NoError(t, err)
}

package rest

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// newNotificationHarness mounts notificationRoutes the way routes() does.
func newNotificationHarness(t testing.TB, store *postgres.Store, deps NotificationDeps) *harness {
	t.Helper()
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	h := &harness{tokens: tokens, logs: &syncBuffer{}}
	d := Deps{Config: config.Default().HTTP, Env: config.EnvTest, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewJSONHandler(h.logs, nil)), Tokens: tokens}
	a := &api{Deps: d, logger: d.Logger, now: d.Now, tokens: tokens}
	r := chi.NewRouter()
	r.Use(withRequestID)
	r.NotFound(a.handle(notFound))
	r.Route("/api/v1", func(r chi.Router) {
		r.Group(func(r chi.Router) { a.unsubscribeRoutes(r, deps) })
		r.Group(func(r chi.Router) {
			r.Use(a.authenticate, a.requireRole(allRoles...))
			a.notificationRoutes(r, deps)
		})
	})
	h.handler = r
	return h
}

// seedInbox stores n broadcast-kind notifications for the player.
func seedInbox(t *testing.T, store *postgres.Store, playerID string, keys ...string) []persistence.Notification {
	t.Helper()
	var ns []persistence.Notification
	for _, k := range keys {
		ns = append(ns, persistence.Notification{PlayerID: playerID, Kind: persistence.KindAdminBroadcast,
			SourceKey: k, Title: "T" + k, Body: "B" + k, Data: []byte(`{"k":"` + k + `"}`)})
	}
	stored, err := store.AddNotifications(t.Context(), ns)
	require.NoError(t, err)
	require.Len(t, stored, len(keys))
	return stored
}

func TestAPI_Notifications_Inbox(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	h := newNotificationHarness(t, store, NotificationDeps{Store: store})
	me, other := newSignedIn(t, store, persistence.RolePlayer), newSignedIn(t, store, persistence.RolePlayer)
	mine := seedInbox(t, store, me.ID, "a", "b", "c")
	theirs := seedInbox(t, store, other.ID, "z")

	w := h.get(t, "/api/v1/notifications?limit=2", me.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	page := decode[notificationsResponse](t, w)
	require.Len(t, page.Notifications, 2)
	require.Equal(t, 3, page.Unread)
	require.NotEmpty(t, page.NextCursor)
	require.Equal(t, persistence.KindAdminBroadcast, page.Notifications[0].Kind)
	w = h.get(t, "/api/v1/notifications?limit=2&cursor="+page.NextCursor, me.AccessToken)
	require.Len(t, decode[notificationsResponse](t, w).Notifications, 1)

	send := func(method, path, token string) int {
		return h.do(t, request{Method: method, Path: path, Token: token}).Code
	}
	require.Equal(t, http.StatusNoContent, send(http.MethodPost, "/api/v1/notifications/"+mine[0].ID+"/read", me.AccessToken))
	require.Equal(t, http.StatusNotFound, send(http.MethodPost, "/api/v1/notifications/"+theirs[0].ID+"/read", me.AccessToken))
	require.Equal(t, http.StatusNotFound, send(http.MethodPost, "/api/v1/notifications/not-an-id/read", me.AccessToken))
	w = h.get(t, "/api/v1/notifications?unread=true", me.AccessToken)
	page = decode[notificationsResponse](t, w)
	require.Len(t, page.Notifications, 2)
	require.Equal(t, 2, page.Unread)

	w = h.do(t, request{Method: http.MethodPost, Path: "/api/v1/notifications/read-all", Token: me.AccessToken})
	require.Equal(t, http.StatusOK, w.Code)
	require.JSONEq(t, `{"marked":2}`, w.Body.String())
	require.Equal(t, http.StatusNoContent, send(http.MethodDelete, "/api/v1/notifications/"+mine[1].ID, me.AccessToken))
	require.Equal(t, http.StatusNotFound, send(http.MethodDelete, "/api/v1/notifications/"+theirs[0].ID, me.AccessToken))
	page = decode[notificationsResponse](t, h.get(t, "/api/v1/notifications", me.AccessToken))
	require.Len(t, page.Notifications, 2)
	require.Zero(t, page.Unread)
	require.NotNil(t, page.Notifications[0].ReadAt)
	page = decode[notificationsResponse](t, h.get(t, "/api/v1/notifications", other.AccessToken))
	require.Equal(t, 1, page.Unread, "another player's inbox is untouched")

	requireError(t, h.get(t, "/api/v1/notifications?unread=maybe", me.AccessToken), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.get(t, "/api/v1/notifications?limit=0", me.AccessToken), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.get(t, "/api/v1/notifications?cursor=%21", me.AccessToken), http.StatusBadRequest, CodeBadRequest)
	require.Equal(t, http.StatusUnauthorized, h.get(t, "/api/v1/notifications", "").Code)
}

func TestAPI_Notifications_AdminBroadcast(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	h := newNotificationHarness(t, store, NotificationDeps{Store: store})
	admin, player := newSignedIn(t, store, persistence.RoleAdmin), newSignedIn(t, store, persistence.RolePlayer)
	post := func(token, body string) *httptest.ResponseRecorder {
		return h.do(t, request{Method: http.MethodPost, Path: "/api/v1/admin/notifications", Token: token, Body: body})
	}
	require.Equal(t, http.StatusForbidden, post(player.AccessToken, `{"title":"x"}`).Code)
	requireError(t, post(admin.AccessToken, `{"title":""}`), http.StatusUnprocessableEntity,
		CodeValidationFailed)
	requireError(t, post(admin.AccessToken, `{"title":"x","segment":{"role":"king"}}`),
		http.StatusUnprocessableEntity, CodeValidationFailed)
	requireError(t, post(admin.AccessToken, `{"title":"x","extra":1}`), http.StatusBadRequest,
		CodeBadRequest)

	w := post(admin.AccessToken, `{"title":"Hello","body":"staff only","segment":{"role":"admin","activeSince":"2026-01-01T00:00:00Z"}}`)
	require.Equal(t, http.StatusAccepted, w.Code, w.Body.String())
	id := decode[map[string]string](t, w)["id"]
	require.NotEmpty(t, id)
	items, err := store.ClaimOutbox(t.Context(), persistence.TopicNotifyBroadcast, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.JSONEq(t, `{"id":"`+id+`","title":"Hello","body":"staff only",
		"segment":{"role":"admin","activeSince":"2026-01-01T00:00:00Z"}}`, string(items[0].Payload))
}

func TestAPI_Notifications_Preferences(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	h := newNotificationHarness(t, store, NotificationDeps{Store: store})
	me := newSignedIn(t, store, persistence.RolePlayer)
	got := decode[preferencesBody](t, h.get(t, "/api/v1/notifications/preferences", me.AccessToken))
	require.Len(t, got.Preferences, len(persistence.NotificationKinds()))
	require.Equal(t, preferenceJSON{Kind: persistence.KindBadgeAwarded, InApp: true}, got.Preferences[0])

	put := func(body string) *httptest.ResponseRecorder {
		return h.do(t, request{Method: http.MethodPut, Path: "/api/v1/notifications/preferences", Token: me.AccessToken,
			Body: body})
	}
	w := put(`{"preferences":[{"kind":"badge.awarded","inApp":false,"email":true}]}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got = decode[preferencesBody](t, w)
	require.Equal(t, preferenceJSON{Kind: persistence.KindBadgeAwarded, Email: true}, got.Preferences[0])
	require.True(t, got.Preferences[1].InApp, "other kinds stay")
	for _, bad := range []string{`{"preferences":[{"kind":"nope","inApp":true,"email":true}]}`,
		`{"preferences":[{"kind":"badge.awarded","inApp":true}]}`, `{}`,
		`{"preferences":[{"kind":"badge.awarded","inApp":true,"email":true},{"kind":"badge.awarded","inApp":true,"email":true}]}`} {
		requireError(t, put(bad), http.StatusUnprocessableEntity, CodeValidationFailed)
	}
	stored, err := store.AddNotifications(t.Context(), []persistence.Notification{{PlayerID: me.ID,
		Kind: persistence.KindBadgeAwarded, SourceKey: "badge:x", Title: "x"}})
	require.NoError(t, err)
	require.Empty(t, stored, "badge.awarded is off in-app")
}

// FuzzDecodeNotificationBodies: the broadcast and preferences decoders
// refuse with a client error, never a panic, and accept only valid values.
func FuzzDecodeNotificationBodies(f *testing.F) {
	for _, s := range []string{`{"title":"x"}`, `{"title":"x","segment":{"role":"admin","activeSince":"2026-01-01T00:00:00Z"}}`,
		`{"preferences":[{"kind":"badge.awarded","inApp":true,"email":false}]}`, `{"preferences":[{}]}`, `[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if b, err := decodeBroadcast(strings.NewReader(body)); err != nil {
			requireClientError(t, err)
		} else {
			require.NotEmpty(t, b.Title)
		}
		if prefs, err := decodePreferences(strings.NewReader(body)); err != nil {
			requireClientError(t, err)
		} else {
			for _, p := range prefs {
				require.Contains(t, persistence.NotificationKinds(), p.Kind)
			}
		}
	})
}

func TestAPI_Notifications_OneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	secret := []byte("unsubscribe-test-secret-0123456789")
	h := newNotificationHarness(t, store, NotificationDeps{Store: store, UnsubscribeSecret: secret})
	me := newSignedIn(t, store, persistence.RolePlayer)
	require.NoError(t, store.SetNotificationPreferences(t.Context(), me.ID, []persistence.NotificationPreference{
		{Kind: persistence.KindChallengeEnded, InApp: false, Email: true}}))
	token := mail.UnsubscribeToken(secret, me.ID, persistence.KindChallengeEnded)

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		w := h.do(t, request{Method: method, Path: "/api/v1/notifications/unsubscribe?token=" + token})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		require.JSONEq(t, `{"kind":"challenge.ended","inApp":false,"email":false}`, w.Body.String())
	}
	prefs, err := store.NotificationPreferences(t.Context(), me.ID)
	require.NoError(t, err)
	for _, p := range prefs {
		require.False(t, p.Email, p.Kind)
	}
	forged := mail.UnsubscribeToken([]byte("another secret"), me.ID, persistence.KindBadgeAwarded)
	for _, bad := range []string{"", "nope", forged, mail.UnsubscribeToken(secret, me.ID, "unknown.kind")} {
		requireError(t, h.do(t, request{Method: http.MethodGet, Path: "/api/v1/notifications/unsubscribe?token=" + bad}),
			http.StatusBadRequest, CodeBadRequest)
	}
}

package rest

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/openapi"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// i18nHarness is the full router over a real store with badges and
// translations wired, an admin and a player signed in.
type i18nHarness struct {
	*harness
	admin, player signedIn
}

func newI18nHarness(t testing.TB) *i18nHarness {
	t.Helper()
	h, pg := newDBHarness(t, func(d *Deps) {
		pg := d.Players.(*postgres.Store)
		d.Badges = BadgeDeps{Store: pg}
		d.Translations = TranslationDeps{Store: pg}
		d.Modes, d.Challenges = pg, ChallengeDeps{Store: pg}
	})
	return &i18nHarness{harness: h, admin: newSignedIn(t, pg, persistence.RoleAdmin),
		player: newSignedIn(t, pg, persistence.RolePlayer)}
}

// call sends one request with an optional token, body and Accept-Language.
func (h *i18nHarness) call(t testing.TB, method, path, token, body, accept string) *httptest.ResponseRecorder {
	t.Helper()
	req := request{Method: method, Path: path, Token: token, Body: body}
	if accept != "" {
		req.Header = map[string]string{"Accept-Language": accept}
	}
	w := h.do(t, req)
	// Every exchange must match docs/openapi.yaml.
	doc, err := openapi.Embedded(t.Context())
	require.NoError(t, err)
	r := httptest.NewRequest(method, path, http.NoBody)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	require.NoError(t, doc.Check(t.Context(), openapi.Exchange{Request: r, RequestBody: []byte(body),
		Status: w.Code, Header: w.Header(), ResponseBody: w.Body.Bytes()}))
	return w
}

func (h *i18nHarness) badgeName(t testing.TB, query, accept, slug string) (string, string) {
	t.Helper()
	w := h.call(t, http.MethodGet, "/api/v1/badges"+query, "", "", accept)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	for _, b := range decode[badgesResponse](t, w).Badges {
		if b.Slug == slug {
			return b.Name, b.Description
		}
	}
	require.Failf(t, "badge not found", "slug %s", slug)
	return "", ""
}

func localMessage(t testing.TB, w *httptest.ResponseRecorder) string {
	t.Helper()
	return decode[errorBody](t, w).Error.Message
}

func TestTranslations_SpanishClient(t *testing.T) {
	t.Parallel()
	h := newI18nHarness(t)
	for _, tc := range []struct{ query, accept, name, desc string }{
		{"", "", "First Whack", "Finish your first game."},
		{"?lang=es", "", "Primer golpe", "Termina tu primera partida."},
		{"", "es-MX,es;q=0.9,en;q=0.5", "Primer golpe", "Termina tu primera partida."},
		{"?lang=en", "es", "First Whack", "Finish your first game."},
		{"?lang=ja", "de", "First Whack", "Finish your first game."}, // lenient: the default
	} {
		name, desc := h.badgeName(t, tc.query, tc.accept, "first-game")
		require.Equal(t, tc.name, name, "%+v", tc)
		require.Equal(t, tc.desc, desc, "%+v", tc)
	}
	w := h.call(t, http.MethodGet, "/api/v1/badges/"+uuid.NewString(), "", "", "es")
	requireError(t, w, http.StatusNotFound, CodeNotFound)
	require.Equal(t, "no encontrado", localMessage(t, w))
	require.Equal(t, "es", w.Header().Get("Content-Language"))
	w = h.call(t, http.MethodGet, "/api/v1/badges/"+uuid.NewString(), "", "", "")
	require.Equal(t, "not found", localMessage(t, w))
	w = h.call(t, http.MethodGet, "/api/v1/players/me?lang=es", "", "", "")
	requireError(t, w, http.StatusUnauthorized, CodeUnauthorized)
	require.Equal(t, "no autorizado", localMessage(t, w))
	// The caller's own badges speak Spanish too.
	w = h.call(t, http.MethodGet, "/api/v1/players/me/badges", h.player.AccessToken, "", "es")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Contains(t, w.Body.String(), "Primer golpe")
}

func TestTranslations_LanguagesAndTexts(t *testing.T) {
	t.Parallel()
	h := newI18nHarness(t)
	w := h.call(t, http.MethodGet, "/api/v1/languages", "", "", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, languagesResponse{Default: "en", Languages: []languageJSON{
		{Code: "en", Name: "English", Active: true, Default: true}, {Code: "es", Name: "Español", Active: true},
	}}, decode[languagesResponse](t, w))
	w = h.call(t, http.MethodGet, "/api/v1/translations/ES?namespace=badges", "", "", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[translationsResponse](t, w)
	require.Equal(t, "es", got.Language)
	require.Equal(t, []string{"badges"}, mapKeys(got.Translations))
	require.Equal(t, "Primer golpe", got.Translations["badges"]["first-game.name"])
	w = h.call(t, http.MethodGet, "/api/v1/translations/es/missing-translations", "", "", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Empty(t, decode[missingResponse](t, w).Missing, "Spanish is seeded complete")
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestTranslations_MissingAndBulk(t *testing.T) {
	t.Parallel()
	h := newI18nHarness(t)
	body := `{"translations":[{"language":"en","namespace":"badges","key":"new.name","text":"New"},
		{"language":"es","namespace":"errors","key":"not_found","text":"no existe"}]}`
	w := h.call(t, http.MethodPost, "/api/v1/translations/bulk", h.player.AccessToken, body, "")
	requireError(t, w, http.StatusForbidden, CodeForbidden)
	w = h.call(t, http.MethodPost, "/api/v1/translations/bulk", h.admin.AccessToken, body, "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, bulkResponse{Written: 2}, decode[bulkResponse](t, w))
	w = h.call(t, http.MethodGet, "/api/v1/translations/es/missing-translations?namespace=badges", "", "", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, missingResponse{Language: "es", Default: "en", Missing: []missingJSON{
		{Namespace: "badges", Key: "new.name", Text: "New"},
	}}, decode[missingResponse](t, w))
	w = h.call(t, http.MethodGet, "/api/v1/badges/"+uuid.NewString(), "", "", "es")
	require.Equal(t, "no existe", localMessage(t, w), "the bulk write is served at once")
}

func TestTranslations_StrictCodes(t *testing.T) {
	t.Parallel()
	h := newI18nHarness(t)
	w := h.call(t, http.MethodPost, "/api/v1/languages", h.admin.AccessToken, `{"code":"FR","name":"Français","active":false}`, "")
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	require.Equal(t, languageJSON{Code: "fr", Name: "Français"}, decode[languageJSON](t, w))
	admin := h.admin.AccessToken
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodGet, "/api/v1/translations/xx", ""},
		{http.MethodGet, "/api/v1/translations/fr", ""},
		{http.MethodGet, "/api/v1/translations/!!", ""},
		{http.MethodGet, "/api/v1/translations/zz/missing-translations", ""},
		{http.MethodGet, "/api/v1/translations/fr/missing-translations", ""},
		{http.MethodGet, "/api/v1/translations/es?namespace=Bad!", ""},
		{http.MethodPost, "/api/v1/translations/bulk", `{"translations":[{"language":"zz","namespace":"errors","key":"a","text":"b"}]}`},
		{http.MethodPost, "/api/v1/translations/bulk", `{"translations":[{"language":"fr","namespace":"errors","key":"a","text":"b"}]}`},
		{http.MethodPost, "/api/v1/translations/bulk", `{"translations":[{"language":"e","namespace":"errors","key":"a","text":"b"}]}`},
		{http.MethodPost, "/api/v1/languages/fr/default", ""},
		{http.MethodPost, "/api/v1/languages/zz/default", ""},
		{http.MethodPatch, "/api/v1/languages/zz", `{"name":"x"}`},
		{http.MethodPost, "/api/v1/languages", `{"code":"not a tag","name":"x"}`},
	} {
		w := h.call(t, tc.method, tc.path, admin, tc.body, "")
		requireError(t, w, http.StatusBadRequest, CodeBadRequest)
	}
	// Lenient: an inactive language asked by a client is the default.
	name, _ := h.badgeName(t, "?lang=fr", "fr", "first-game")
	require.Equal(t, "First Whack", name)
	w = h.call(t, http.MethodPatch, "/api/v1/languages/fr", admin, `{"active":true}`, "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	w = h.call(t, http.MethodGet, "/api/v1/translations/fr", "", "", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	w = h.call(t, http.MethodPost, "/api/v1/languages", admin, `{"code":"es","name":"again"}`, "")
	requireError(t, w, http.StatusConflict, CodeConflict)
	w = h.call(t, http.MethodPatch, "/api/v1/languages/en", admin, `{"active":false}`, "")
	requireError(t, w, http.StatusConflict, CodeConflict)
}

func TestTranslations_DefaultSwitch(t *testing.T) {
	t.Parallel()
	h := newI18nHarness(t)
	w := h.call(t, http.MethodPost, "/api/v1/languages/es/default", h.admin.AccessToken, "", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, languageJSON{Code: "es", Name: "Español", Active: true, Default: true}, decode[languageJSON](t, w))
	w = h.call(t, http.MethodGet, "/api/v1/languages", "", "", "")
	got := decode[languagesResponse](t, w)
	require.Equal(t, "es", got.Default)
	require.False(t, got.Languages[0].Default)
	name, _ := h.badgeName(t, "", "", "first-game")
	require.Equal(t, "Primer golpe", name, "a client with no preference reads the default")
	name, _ = h.badgeName(t, "", "en", "first-game")
	require.Equal(t, "First Whack", name)
}

func TestTranslations_ChallengeTitles(t *testing.T) {
	t.Parallel()
	h := newI18nHarness(t)
	w := h.call(t, http.MethodPost, "/api/v1/admin/challenges", h.admin.AccessToken,
		challengeBody("spring", testNow.Add(time.Hour), `,"description":"Five rows"`), "")
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	w = h.call(t, http.MethodPost, "/api/v1/translations/bulk", h.admin.AccessToken, `{"translations":[
		{"language":"es","namespace":"challenges","key":"spring.title","text":"Tablero grande"},
		{"language":"es","namespace":"challenges","key":"spring.description","text":"Cinco filas"}]}`, "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	for accept, want := range map[string][2]string{"es": {"Tablero grande", "Cinco filas"}, "": {"Big board", "Five rows"}} {
		w = h.call(t, http.MethodGet, "/api/v1/challenges/spring", "", "", accept)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		got := decode[challengeJSON](t, w)
		require.Equal(t, want, [2]string{got.Title, got.Description}, accept)
		w = h.call(t, http.MethodGet, "/api/v1/challenges?status=upcoming", "", "", accept)
		require.Equal(t, want[0], decode[challengesResponse](t, w).Challenges[0].Title, accept)
	}
}

// Health probes and non-API paths never wait on the catalogue.
func TestLocalized(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"/api/v1/badges": true, "/api/v1/translations/es": true, "/api/v1/health/live": false,
		"/api/v1/health/ready": false, "/metrics": false, "/ws": false, "/api/docs": false,
	} {
		require.Equal(t, want, localized(path), path)
	}
}

func TestTranslations_NotificationTexts(t *testing.T) {
	t.Parallel()
	var store *postgres.Store
	h, _ := newDBHarness(t, func(d *Deps) {
		store = d.Players.(*postgres.Store)
		d.Translations = TranslationDeps{Store: store}
		d.Notifications = NotificationDeps{Store: store}
	})
	me := newSignedIn(t, store, persistence.RolePlayer)
	_, err := store.AddNotifications(t.Context(), []persistence.Notification{
		{PlayerID: me.ID, Kind: persistence.KindBadgeAwarded, SourceKey: "badge:1", Title: "Badge earned: Centurion",
			Body: "You earned the epic badge Centurion.",
			Data: []byte(`{"text":"badge.awarded","name":"Centurion","rarity":"epic"}`)},
		{PlayerID: me.ID, Kind: persistence.KindAdminBroadcast, SourceKey: "broadcast:1", Title: "Maintenance",
			Body: "at noon", Data: []byte(`{"broadcastId":"1"}`)},
	})
	require.NoError(t, err)
	texts := func(query string) map[string]string {
		w := h.do(t, request{Method: http.MethodGet, Path: "/api/v1/notifications" + query, Token: me.AccessToken})
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		out := map[string]string{}
		for _, n := range decode[notificationsResponse](t, w).Notifications {
			out[n.Kind] = n.Title + " / " + n.Body
		}
		return out
	}
	require.Equal(t, map[string]string{
		persistence.KindBadgeAwarded:   "Badge earned: Centurion / You earned the epic badge Centurion.",
		persistence.KindAdminBroadcast: "Maintenance / at noon",
	}, texts(""))
	require.Equal(t, map[string]string{
		persistence.KindBadgeAwarded:   "Insignia obtenida: Centurion / Has obtenido la insignia Centurion (epic).",
		persistence.KindAdminBroadcast: "Maintenance / at noon", // the admin's own words
	}, texts("?lang=es"))
}

func TestTranslations_ModeTitles(t *testing.T) {
	t.Parallel()
	h := newI18nHarness(t)
	titles := func(query, accept string) map[string]string {
		w := h.call(t, http.MethodGet, "/api/v1/modes"+query, "", "", accept)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		out := map[string]string{}
		for _, m := range decode[modesResponse](t, w).Modes {
			out[m.Name] = m.Title + " / " + m.Description
		}
		return out
	}
	require.Equal(t, "Frenzy / A 4×4 board, three moles at once, golden moles and bombs.", titles("", "")["frenzy"])
	require.Equal(t, "Frenesí / Un tablero de 4×4, tres topos a la vez, topos dorados y bombas.",
		titles("", "es-AR")["frenzy"])
	require.Equal(t, "Clásico / Un topo a la vez en un tablero de 3×3, treinta segundos.", titles("?lang=es", "")["classic"])
}

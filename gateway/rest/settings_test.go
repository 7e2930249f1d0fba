package rest

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/settings"
	"github.com/proofstell/proofstell/persistence"
)

// settingsDefaults are the static settings of the tests.
func settingsDefaults() settings.Settings {
	return settings.Settings{
		Registration: settings.Registration{Open: true},
		Games:        settings.Games{DefaultMode: "classic"},
		RateLimits:   settings.RateLimits{Anonymous: 1000, User: 1000, Auth: 1000},
		Features:     settings.Features{Referrals: true, Challenges: true},
	}
}

// newSettingsHarness is a security harness with a settings holder on its
// store.
func newSettingsHarness(t *testing.T) (*secHarness, *settings.Holder) {
	t.Helper()
	h := newSecHarness(t, nil)
	holder := settings.NewHolder(settingsDefaults(), h.store, nil)
	require.NoError(t, holder.Load(t.Context()))
	// Rebuilt over the same store and Redis: the holder needs the store.
	h.harness = newHarness(t, h.tokens, h.store, h.store, func(d *Deps) {
		d.Now = h.clock.Now
		d.Security = SecurityDeps{Revocation: h.rev, Limiter: h.redis, Profiles: h.store, Admin: h.store}
		d.Config.RateAnonymous, d.Config.RateUser, d.Config.RateAuth = 1000, 1000, 1000
		d.Settings = SettingsDeps{Holder: holder, Store: h.store}
	})
	return h, holder
}

// TestRouter_AdminSettings: only admins read and patch the settings; a
// patch is a merge patch whose result the node applies at once; a bad
// field is 400 with its path; If-Match makes the write conditional.
func TestRouter_AdminSettings(t *testing.T) {
	t.Parallel()
	h, holder := newSettingsHarness(t)
	admin := h.withRole(t, "settings-admin", persistence.RoleAdmin)
	mod := h.withRole(t, "settings-mod", persistence.RoleModerator)

	requireError(t, h.get(t, "/api/v1/admin/settings", mod.AccessToken), http.StatusForbidden, CodeForbidden)
	requireError(t, h.do(t, request{Method: "PATCH", Path: "/api/v1/admin/settings", Token: mod.AccessToken,
		Body: `{"registration":{"open":false}}`}), http.StatusForbidden, CodeForbidden)
	requireError(t, h.get(t, "/api/v1/admin/settings", ""), http.StatusUnauthorized, CodeUnauthorized)

	w := h.get(t, "/api/v1/admin/settings", admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, `"0"`, w.Header().Get("ETag"))
	got := decode[settingsResponse](t, w)
	require.True(t, got.Settings.Equal(settingsDefaults()))
	require.JSONEq(t, `{}`, string(got.Overrides))

	bad := []struct{ body, field string }{
		{`{"maintenance":{"until":"soon"}}`, "maintenance.until"},
		{`{"rateLimits":{"user":0}}`, "rateLimits.user"},
		{`{"games":{"mode":"classic"}}`, "games.mode"},
		{`[]`, "body"},
	}
	for _, b := range bad {
		w := h.do(t, request{Method: "PATCH", Path: "/api/v1/admin/settings", Token: admin.AccessToken, Body: b.body})
		requireError(t, w, http.StatusBadRequest, CodeBadRequest)
		require.Equal(t, b.field, decode[errorBody](t, w).Error.Details["field"], b.body)
	}

	w = h.do(t, request{Method: "PATCH", Path: "/api/v1/admin/settings", Token: admin.AccessToken,
		Header: map[string]string{"If-Match": `"0"`},
		Body:   `{"maintenance":{"enabled":true,"message":"Back soon","until":"2026-12-24T10:00:00Z"},"rateLimits":{"user":50}}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, `"1"`, w.Header().Get("ETag"))
	got = decode[settingsResponse](t, w)
	require.Equal(t, int64(1), got.Version)
	require.True(t, got.Settings.Maintenance.Enabled)
	require.Equal(t, 50, got.Settings.RateLimits.User)
	require.Equal(t, admin.Player.ID, *got.UpdatedBy)
	require.True(t, holder.Current().Maintenance.Enabled, "the node applied its own write")

	requireError(t, h.do(t, request{Method: "PATCH", Path: "/api/v1/admin/settings", Token: admin.AccessToken,
		Header: map[string]string{"If-Match": `"0"`}, Body: `{"maintenance":{"enabled":false}}`}),
		http.StatusPreconditionFailed, CodePreconditionFailed)
	w = h.do(t, request{Method: "PATCH", Path: "/api/v1/admin/settings", Token: admin.AccessToken,
		Body: `{"maintenance":null,"rateLimits":{"user":null}}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got = decode[settingsResponse](t, w)
	require.True(t, got.Settings.Equal(settingsDefaults()), "null brings the defaults back")
	require.Equal(t, int64(2), got.Version)
}

// TestRouter_MaintenanceRefusesWrites: while maintenance is on, a REST
// write is 503 maintenance with the message and a Retry-After counting
// down to the announced end; reads, sign-in and the admin routes work;
// readiness stays 200 and reports it. Closed registration refuses sign-up.
func TestRouter_MaintenanceRefusesWrites(t *testing.T) {
	t.Parallel()
	h, _ := newSettingsHarness(t)
	admin := h.withRole(t, "maint-admin", persistence.RoleAdmin)
	player := signIn(t, h.harness, "maint-player")
	until := h.clock.Now().Add(90 * time.Second).UTC().Truncate(time.Second)
	w := h.do(t, request{Method: "PATCH", Path: "/api/v1/admin/settings", Token: admin.AccessToken,
		Body: `{"maintenance":{"enabled":true,"message":"Back soon","until":"` + until.Format(time.RFC3339) + `"},"registration":{"open":false}}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())

	w = h.do(t, request{Method: "PATCH", Path: "/api/v1/players/me", Token: player.AccessToken, Body: `{"displayName":"New"}`})
	requireError(t, w, http.StatusServiceUnavailable, CodeMaintenance)
	require.Equal(t, "Back soon", decode[errorBody](t, w).Error.Message)
	retry, err := strconv.Atoi(w.Header().Get("Retry-After"))
	require.NoError(t, err)
	require.InDelta(t, 90, retry, 1)

	require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", player.AccessToken).Code, "reads work")
	signIn(t, h.harness, "maint-player") // sign-in is a write maintenance lets through
	w = h.get(t, "/api/v1/health/ready", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	ready := decode[readyResponse](t, w)
	require.NotNil(t, ready.Maintenance)
	require.Equal(t, "Back soon", ready.Maintenance.Message)

	w = h.do(t, request{Method: "PATCH", Path: "/api/v1/admin/settings", Token: admin.AccessToken,
		Body: `{"maintenance":{"enabled":false}}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String(), "admin routes work during maintenance")
	w = h.do(t, request{Method: "PATCH", Path: "/api/v1/players/me", Token: player.AccessToken, Body: `{"displayName":"New"}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Nil(t, decode[readyResponse](t, h.get(t, "/api/v1/health/ready", "")).Maintenance)
}

// TestRouter_RegistrationClosed: closed registration refuses an email
// sign-up with 403 registration_closed; opening it again lets it through.
func TestRouter_RegistrationClosed(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, 4)
	holder := settings.NewHolder(settingsDefaults(), h.store, nil)
	deps := h.deps
	deps.Settings = SettingsDeps{Holder: holder, Store: h.store}
	h.handler = NewRouter(deps)
	_, err := h.store.UpdateSettings(t.Context(), persistence.SystemActor("test"), -1, func(persistence.StoredSettings) ([]byte, error) {
		return []byte(`{"registration":{"open":false}}`), nil
	})
	require.NoError(t, err)
	require.NoError(t, holder.Load(t.Context()))
	body := `{"username":"newbie","email":"newbie@example.com","password":"correct horse battery 42"}`
	requireError(t, h.do(t, request{Method: "POST", Path: "/api/v1/auth/register", Body: body}),
		http.StatusForbidden, CodeRegistrationClosed)

	row, err := h.store.UpdateSettings(t.Context(), persistence.SystemActor("test"), -1, func(persistence.StoredSettings) ([]byte, error) { return []byte(`{}`), nil })
	require.NoError(t, err)
	require.NoError(t, holder.Apply(row))
	w := h.do(t, request{Method: "POST", Path: "/api/v1/auth/register", Body: body})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
}

// setRegistration stores registration.open and applies it on holder.
func setRegistration(t *testing.T, store persistence.SettingsStore, holder *settings.Holder, open bool) {
	t.Helper()
	doc := []byte(`{"registration":{"open":false}}`)
	if open {
		doc = []byte(`{}`)
	}
	row, err := store.UpdateSettings(t.Context(), persistence.SystemActor("test"), -1,
		func(persistence.StoredSettings) ([]byte, error) { return doc, nil })
	require.NoError(t, err)
	require.NoError(t, holder.Apply(row))
}

// TestRouter_RegistrationClosed_GuestSignIn: closed registration refuses
// the guest sign-in of a new device with 403 registration_closed and
// creates nothing; a device that has a guest still signs in to it.
func TestRouter_RegistrationClosed_GuestSignIn(t *testing.T) {
	t.Parallel()
	h, holder := newSettingsHarness(t)
	known := signIn(t, h.harness, "closed-known-device")

	setRegistration(t, h.store, holder, false)
	guest := func(device string) *httptest.ResponseRecorder {
		return h.do(t, request{Method: "POST", Path: "/api/v1/auth/guest", Body: `{"deviceId":"` + device + `"}`})
	}
	requireError(t, guest("closed-new-device"), http.StatusForbidden, CodeRegistrationClosed)
	_, err := h.store.GuestOfDevice(t.Context(), "closed-new-device")
	require.ErrorIs(t, err, persistence.ErrNotFound, "nothing was created")
	again := signIn(t, h.harness, "closed-known-device")
	require.Equal(t, known.Player.ID, again.Player.ID, "an existing guest still signs in")

	setRegistration(t, h.store, holder, true)
	w := guest("closed-new-device")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.NotEqual(t, known.Player.ID, decode[tokenResponse](t, w).Player.ID)
}

// TestRouter_RateLimitsFollowSettings: an admin's rateLimits take effect
// at once, without a restart: an anonymous budget lowered to 3 refuses the
// fourth request (the static 1000 would admit it).
func TestRouter_RateLimitsFollowSettings(t *testing.T) {
	t.Parallel()
	h, _ := newSettingsHarness(t)
	admin := h.withRole(t, "rates-admin", persistence.RoleAdmin)
	board := request{Method: "GET", Path: "/api/v1/leaderboards/global"}
	for i := range 4 {
		require.NotEqual(t, http.StatusTooManyRequests, h.do(t, board).Code, "static budget, request %d", i)
	}
	w := h.do(t, request{Method: "PATCH", Path: "/api/v1/admin/settings", Token: admin.AccessToken,
		Body: `{"rateLimits":{"anonymous":3}}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	other := func() int {
		r := httptestRequest(t.Context(), "GET", "/api/v1/leaderboards/global")
		r.RemoteAddr = "198.51.100.9:4000"
		return serve(h.harness, r).Code
	}
	for i := range 3 {
		require.NotEqual(t, http.StatusTooManyRequests, other(), "request %d", i)
	}
	require.Equal(t, http.StatusTooManyRequests, other(), "the fourth is over the new budget")
}

package rest

import (
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/persistence"
)

// preferenceJSON is one kind's delivery choice.
type preferenceJSON struct {
	Kind  string `json:"kind"`
	InApp bool   `json:"inApp"`
	Email bool   `json:"email"`
}

// preferencesBody is the body of GET and PUT /notifications/preferences.
type preferencesBody struct {
	Preferences []preferenceJSON `json:"preferences"`
}

// preferenceRequest is one entry of a PUT: both channels are required so
// a client never half-sets a kind.
type preferenceRequest struct {
	Kind  *string `json:"kind"`
	InApp *bool   `json:"inApp"`
	Email *bool   `json:"email"`
}

// preferencesRequest is the body of PUT /notifications/preferences.
type preferencesRequest struct {
	Preferences []preferenceRequest `json:"preferences"`
}

// preferenceRoutes registers the caller's notification preferences.
func (a *api) preferenceRoutes(authed chi.Router, store persistence.NotificationStore) {
	authed.Get("/notifications/preferences", a.handle(func(w http.ResponseWriter, r *http.Request) error {
		return writePreferences(w, r, store)
	}))
	authed.Put("/notifications/preferences", a.handle(func(w http.ResponseWriter, r *http.Request) error {
		if store == nil {
			return fmt.Errorf("set notification preferences: %w", errNotConfigured)
		}
		prefs, err := readBody(a, w, r, decodePreferences)
		if err != nil {
			return err
		}
		if err := store.SetNotificationPreferences(r.Context(), playerID(r), prefs); err != nil {
			return fmt.Errorf("set notification preferences: %w", err)
		}
		return writePreferences(w, r, store)
	}))
}

// writePreferences answers the caller's preferences for every kind.
func writePreferences(w http.ResponseWriter, r *http.Request, store persistence.NotificationStore) error {
	if store == nil {
		return fmt.Errorf("notification preferences: %w", errNotConfigured)
	}
	prefs, err := store.NotificationPreferences(r.Context(), playerID(r))
	if err != nil {
		return fmt.Errorf("notification preferences: %w", err)
	}
	out := preferencesBody{Preferences: make([]preferenceJSON, 0, len(prefs))}
	for _, p := range prefs {
		out.Preferences = append(out.Preferences, preferenceJSON{Kind: p.Kind, InApp: p.InApp, Email: p.Email})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// decodePreferences reads {"preferences":[{"kind","inApp","email"}]}:
// known kinds, each at most once; kinds not listed stay as they are.
func decodePreferences(body io.Reader) ([]persistence.NotificationPreference, error) {
	var req preferencesRequest
	if err := decodeBody(body, &req); err != nil {
		return nil, err
	}
	if req.Preferences == nil {
		return nil, invalid("preferences", "preferences is required")
	}
	kinds := persistence.NotificationKinds()
	out := make([]persistence.NotificationPreference, 0, len(req.Preferences))
	seen := map[string]bool{}
	for _, p := range req.Preferences {
		if p.Kind == nil || !slices.Contains(kinds, *p.Kind) || seen[*p.Kind] {
			return nil, invalid("preferences.kind", "each kind must be a known notification kind, listed once")
		}
		if p.InApp == nil || p.Email == nil {
			return nil, invalid("preferences", "inApp and email are required")
		}
		seen[*p.Kind] = true
		out = append(out, persistence.NotificationPreference{Kind: *p.Kind, InApp: *p.InApp, Email: *p.Email})
	}
	return out, nil
}

// unsubscribeRoutes registers the public one-click unsubscribe of
// notification mails: GET for a clicked link, POST for RFC 8058 clients.
// The signed token names the player and kind, so no login is needed.
func (a *api) unsubscribeRoutes(public chi.Router, deps NotificationDeps) {
	h := a.handle(func(w http.ResponseWriter, r *http.Request) error { return unsubscribe(w, r, deps) })
	public.Get("/notifications/unsubscribe", h)
	public.Post("/notifications/unsubscribe", h)
}

// unsubscribe turns email off for the token's kind, keeping in-app.
func unsubscribe(w http.ResponseWriter, r *http.Request, deps NotificationDeps) error {
	if deps.Store == nil {
		return fmt.Errorf("unsubscribe: %w", errNotConfigured)
	}
	player, kind, err := mail.ParseUnsubscribe(deps.UnsubscribeSecret, r.URL.Query().Get("token"))
	if err != nil || !slices.Contains(persistence.NotificationKinds(), kind) {
		return badRequest("invalid unsubscribe token", "token")
	}
	prefs, err := deps.Store.NotificationPreferences(r.Context(), player)
	if err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	i := slices.IndexFunc(prefs, func(p persistence.NotificationPreference) bool { return p.Kind == kind })
	pref := prefs[i]
	pref.Email = false
	if err := deps.Store.SetNotificationPreferences(r.Context(), player, []persistence.NotificationPreference{pref}); err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	writeJSON(w, http.StatusOK, preferenceJSON{Kind: pref.Kind, InApp: pref.InApp, Email: pref.Email})
	return nil
}

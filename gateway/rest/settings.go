package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/internal/settings"
	"github.com/proofstell/proofstell/persistence"
)

// Error codes of the runtime settings.
const (
	// CodeMaintenance: maintenance mode refuses the write; Retry-After says
	// when to come back.
	CodeMaintenance = "maintenance"
	// CodeRegistrationClosed: sign-up is closed by the admins.
	CodeRegistrationClosed = "registration_closed"
	// CodePreconditionFailed: the If-Match version is not the stored one.
	CodePreconditionFailed = "precondition_failed"
)

// maintenanceRetryAfter is the Retry-After of a maintenance refusal whose
// end is unknown or past.
const maintenanceRetryAfter = 5 * time.Minute

// SettingsDeps serves the runtime settings (internal/settings).
type SettingsDeps struct {
	// Holder is the node's copy; nil leaves the static settings in force
	// (no maintenance mode) and the admin routes answer 503.
	Holder *settings.Holder
	// Store writes the settings.
	Store persistence.SettingsStore
}

// settingsResponse is the body of GET and PATCH /admin/settings.
type settingsResponse struct {
	Version   int64             `json:"version"`
	Settings  settings.Settings `json:"settings"`
	Overrides json.RawMessage   `json:"overrides"`
	Defaults  settings.Settings `json:"defaults"`
	UpdatedAt *time.Time        `json:"updatedAt"`
	UpdatedBy *string           `json:"updatedBy"`
}

func (a *api) settingsRoutes(authed chi.Router) {
	authed.Group(func(r chi.Router) {
		r.Use(a.requireRole(persistence.RoleAdmin))
		r.Get("/admin/settings", a.handle(a.getSettings))
		r.Patch("/admin/settings", a.handle(a.patchSettings))
	})
}

// current is the node's effective settings; the static ones without a
// holder.
func (a *api) current() (settings.Settings, bool) {
	if a.Settings.Holder == nil {
		return settings.Settings{}, false
	}
	return a.Settings.Holder.Current(), true
}

func (a *api) getSettings(w http.ResponseWriter, _ *http.Request) error {
	if a.Settings.Holder == nil {
		return fmt.Errorf("settings: %w", errNotConfigured)
	}
	a.writeSettings(w, a.Settings.Holder.Snapshot())
	return nil
}

// patchSettings applies a JSON merge patch to the stored overrides in one
// transaction (persistence.SettingsStore.UpdateSettings) and applies the
// result on this node at once; the other nodes follow within a second.
// If-Match: "<version>" makes the write conditional.
func (a *api) patchSettings(w http.ResponseWriter, r *http.Request) error {
	h := a.Settings.Holder
	if h == nil || a.Settings.Store == nil {
		return fmt.Errorf("settings: %w", errNotConfigured)
	}
	expect, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	body, err := jsonBody(w, r, a.Config.MaxBodyBytes)
	if err != nil {
		return err
	}
	patch, err := io.ReadAll(body)
	if err != nil {
		return decodeError(err)
	}
	row, err := a.Settings.Store.UpdateSettings(r.Context(), a.auditActor(r), expect, func(cur persistence.StoredSettings) ([]byte, error) {
		doc, _, err := settings.Merge(h.Defaults(), cur.Overrides, patch)
		return doc, err
	})
	if fe, ok := settings.AsFieldError(err); ok {
		return badRequest(fe.Message, fe.Field)
	}
	if errors.Is(err, persistence.ErrConflict) && expect >= 0 {
		return newError(http.StatusPreconditionFailed, CodePreconditionFailed, "the settings changed since that version; read them again")
	}
	if err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	if err := h.Apply(row); err != nil {
		return fmt.Errorf("apply settings: %w", err)
	}
	a.writeSettings(w, h.Snapshot())
	return nil
}

// ifMatchVersion reads If-Match ("<version>", quoted as an ETag); -1 when
// absent (an unconditional write).
func ifMatchVersion(r *http.Request) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return -1, nil
	}
	n, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(v, "W/"), `"`), 10, 64)
	if err != nil || n < 0 {
		return 0, badRequest("If-Match must be the settings' ETag", "If-Match")
	}
	return n, nil
}

func (a *api) writeSettings(w http.ResponseWriter, snap settings.Snapshot) {
	out := settingsResponse{Version: snap.Version, Settings: snap.Settings, Defaults: a.Settings.Holder.Defaults(),
		Overrides: json.RawMessage(`{}`), UpdatedAt: optionalTime(snap.UpdatedAt)}
	if snap.UpdatedBy != "" {
		out.UpdatedBy = &snap.UpdatedBy
	}
	if len(snap.Overrides) > 0 {
		out.Overrides = snap.Overrides
	}
	w.Header().Set("ETag", `"`+strconv.FormatInt(snap.Version, 10)+`"`)
	writeJSON(w, http.StatusOK, out)
}

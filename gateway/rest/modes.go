package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// modesMaxAge is how long clients and proxies may keep GET /modes: modes
// change rarely (an admin edit), and a game always uses the server's copy.
const modesMaxAge = "public, max-age=60"

// modeJSON is one mode with its rules as clients see it. Durations are
// integer milliseconds, chances in [0, 1].
type modeJSON struct {
	Name string `json:"name"`
	// Title and Description are the mode's words in the response's
	// language (translations namespace "modes"); only responses carry them.
	Title           string  `json:"title,omitempty"`
	Description     string  `json:"description,omitempty"`
	Level           string  `json:"level"`
	Rows            int     `json:"rows"`
	Cols            int     `json:"cols"`
	DurationMs      int64   `json:"durationMs"`
	SpawnIntervalMs int64   `json:"spawnIntervalMs"`
	VisibleMs       int64   `json:"visibleMs"`
	MolesAtOnce     int     `json:"molesAtOnce"`
	HitPoints       int     `json:"hitPoints"`
	GoldenChance    float64 `json:"goldenChance"`
	GoldenPoints    int     `json:"goldenPoints"`
	BombChance      float64 `json:"bombChance"`
	BombPenalty     int     `json:"bombPenalty"`
	CountdownMs     int64   `json:"countdownMs"`
	MaxPlayers      int     `json:"maxPlayers"`
	Active          bool    `json:"active"`
	Ranked          bool    `json:"ranked"`
}

// modesResponse is the body of GET /modes.
type modesResponse struct {
	Modes []modeJSON `json:"modes"`
}

// modeTexts is the translations namespace of mode titles and descriptions,
// keyed "<name>.title" and "<name>.description".
const modeTexts = "modes"

// newModeJSON renders m with its title and description in l's language.
func newModeJSON(l locale, m persistence.Mode) modeJSON {
	return modeJSON{Name: m.Name, Title: l.name(modeTexts, m.Name+".title", m.Name),
		Description: l.name(modeTexts, m.Name+".description", ""), Level: m.Level, Rows: m.Rows, Cols: m.Cols,
		DurationMs: m.Duration.Milliseconds(), SpawnIntervalMs: m.SpawnInterval.Milliseconds(),
		VisibleMs: m.Visible.Milliseconds(), MolesAtOnce: m.MaxMolesUp, HitPoints: m.HitPoints,
		GoldenChance: m.GoldenChance, GoldenPoints: m.GoldenPoints, BombChance: m.BombChance,
		BombPenalty: m.BombPenalty, CountdownMs: m.Countdown.Milliseconds(), MaxPlayers: m.MaxPlayers,
		Active: m.Active, Ranked: m.Ranked}
}

// modeAdminRoutes registers the admin mode edits (admin role).
func (a *api) modeAdminRoutes(authed chi.Router) {
	authed.Group(func(r chi.Router) {
		r.Use(a.requireRole(persistence.RoleAdmin))
		r.Post("/admin/modes", a.handle(a.adminCreateMode))
		r.Patch("/admin/modes/{name}", a.handle(a.adminUpdateMode))
	})
}

// listModes serves every playable (active) mode with its rules.
func (a *api) listModes(w http.ResponseWriter, r *http.Request) error {
	if a.Modes == nil {
		return fmt.Errorf("list modes: %w", errNotConfigured)
	}
	all, err := a.Modes.AllModes(r.Context())
	if err != nil {
		return fmt.Errorf("list modes: %w", err)
	}
	out := modesResponse{Modes: make([]modeJSON, 0, len(all))}
	for _, m := range all {
		if m.Active {
			out.Modes = append(out.Modes, newModeJSON(localeOf(r.Context()), m))
		}
	}
	w.Header().Set("Cache-Control", modesMaxAge)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// adminCreateMode adds a mode (201; 409 on a taken name; 422 naming the
// field that breaks a rule).
func (a *api) adminCreateMode(w http.ResponseWriter, r *http.Request) error {
	if a.Modes == nil {
		return fmt.Errorf("create mode: %w", errNotConfigured)
	}
	m, err := readBody(a, w, r, decodeModeCreate)
	if err != nil {
		return err
	}
	created, err := a.Modes.CreateMode(r.Context(), a.auditActor(r), m)
	if err != nil {
		return modeError("create mode", err)
	}
	writeJSON(w, http.StatusCreated, newModeJSON(localeOf(r.Context()), created))
	return nil
}

// adminUpdateMode edits a mode. Games already running keep the rules they
// were created with; games created after the edit get the new ones.
func (a *api) adminUpdateMode(w http.ResponseWriter, r *http.Request) error {
	if a.Modes == nil {
		return fmt.Errorf("update mode: %w", errNotConfigured)
	}
	u, err := readBody(a, w, r, decodeModePatch)
	if err != nil {
		return err
	}
	m, err := a.Modes.UpdateMode(r.Context(), a.auditActor(r), chi.URLParam(r, "name"), u)
	if err != nil {
		return modeError("update mode", err)
	}
	writeJSON(w, http.StatusOK, newModeJSON(localeOf(r.Context()), m))
	return nil
}

// modeError turns a broken rule into a 422 naming its field.
func modeError(op string, err error) error {
	var rule *persistence.ModeRuleError
	if errors.As(err, &rule) {
		return invalid(rule.Field, rule.Message)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// findMode returns the named mode from the catalogue, 404 unknown_mode when
// there is none.
func findMode(ctx context.Context, modes persistence.ModeCatalogue, name string) (persistence.Mode, error) {
	m, err := modes.LookupMode(ctx, name)
	if errors.Is(err, persistence.ErrNotFound) {
		return m, newError(http.StatusNotFound, CodeUnknownMode, "unknown game mode")
	}
	if err != nil {
		return m, fmt.Errorf("look up mode %s: %w", name, err)
	}
	return m, nil
}

func millis(ms *int64) *time.Duration {
	if ms == nil {
		return nil
	}
	d := time.Duration(*ms) * time.Millisecond
	return &d
}

// rankedModes names every ranked mode (the boards a player may stand on);
// just the default mode when the catalogue is unavailable.
func (a *api) rankedModes(ctx context.Context) []string {
	if a.Modes == nil {
		return []string{standings.DefaultMode}
	}
	all, err := a.Modes.AllModes(ctx)
	if err != nil {
		a.logger.WarnContext(ctx, "mode catalogue unavailable: only the default mode's boards are renamed", slog.Any("error", err))
		return []string{standings.DefaultMode}
	}
	var out []string
	for _, m := range all {
		if m.Ranked {
			out = append(out, m.Name)
		}
	}
	return out
}

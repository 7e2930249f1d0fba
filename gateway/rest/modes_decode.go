package rest

import (
	"io"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// maxModeMillis bounds every duration field before it becomes a
// time.Duration, so no value overflows on the way to Mode.Check.
const maxModeMillis = int64(24 * time.Hour / time.Millisecond)

// modeRequest is the body of POST /admin/modes and PATCH
// /admin/modes/{name}. In a patch, absent fields stay as they are and the
// name, the mode's identity (boards and sessions carry it), cannot change.
// In a creation the rules are required; level, golden and bomb values,
// countdown, max players, active and ranked take the column defaults of
// migrations 001 and 018.
type modeRequest struct {
	Name            *string  `json:"name"`
	Level           *string  `json:"level"`
	Rows            *int     `json:"rows"`
	Cols            *int     `json:"cols"`
	DurationMs      *int64   `json:"durationMs"`
	SpawnIntervalMs *int64   `json:"spawnIntervalMs"`
	VisibleMs       *int64   `json:"visibleMs"`
	MolesAtOnce     *int     `json:"molesAtOnce"`
	HitPoints       *int     `json:"hitPoints"`
	GoldenChance    *float64 `json:"goldenChance"`
	GoldenPoints    *int     `json:"goldenPoints"`
	BombChance      *float64 `json:"bombChance"`
	BombPenalty     *int     `json:"bombPenalty"`
	CountdownMs     *int64   `json:"countdownMs"`
	MaxPlayers      *int     `json:"maxPlayers"`
	Active          *bool    `json:"active"`
	Ranked          *bool    `json:"ranked"`
}

// decodeModeCreate reads a new mode; the rules are checked once, by the
// store's CreateMode (Mode.Check), whose *ModeRuleError modeError answers
// as a 422 naming the field.
func decodeModeCreate(body io.Reader) (persistence.Mode, error) {
	var req modeRequest
	if err := decodeBody(body, &req); err != nil {
		return persistence.Mode{}, err
	}
	required := []struct {
		missing bool
		field   string
	}{
		{req.Name == nil, "name"}, {req.Rows == nil, "rows"}, {req.Cols == nil, "cols"}, {req.DurationMs == nil, "durationMs"},
		{req.SpawnIntervalMs == nil, "spawnIntervalMs"}, {req.VisibleMs == nil, "visibleMs"},
		{req.MolesAtOnce == nil, "molesAtOnce"}, {req.HitPoints == nil, "hitPoints"},
	}
	for _, r := range required {
		if r.missing {
			return persistence.Mode{}, invalid(r.field, r.field+" is required")
		}
	}
	u, err := req.update()
	if err != nil {
		return persistence.Mode{}, err
	}
	defaults := persistence.Mode{Name: *req.Name, Level: "normal", Countdown: 3 * time.Second,
		MaxPlayers: persistence.MaxModePlayers, Active: true, Ranked: true}
	return u.Apply(defaults), nil
}

// decodeModePatch reads a mode edit; rules spanning fields are checked by
// the store against the stored mode.
func decodeModePatch(body io.Reader) (persistence.ModeUpdate, error) {
	var req modeRequest
	if err := decodeBody(body, &req); err != nil {
		return persistence.ModeUpdate{}, err
	}
	if req.Name != nil {
		return persistence.ModeUpdate{}, invalid("name", "a mode's name cannot change")
	}
	u, err := req.update()
	if err != nil {
		return u, err
	}
	if u == (persistence.ModeUpdate{}) {
		return u, invalid("body", "nothing to change")
	}
	return u, nil
}

// update turns the request into an update, refusing durations out of any
// range before they are converted.
func (p modeRequest) update() (persistence.ModeUpdate, error) {
	for _, d := range []struct {
		v     *int64
		field string
	}{{p.DurationMs, "durationMs"}, {p.SpawnIntervalMs, "spawnIntervalMs"}, {p.VisibleMs, "visibleMs"},
		{p.CountdownMs, "countdownMs"}} {
		if d.v != nil && (*d.v < 0 || *d.v > maxModeMillis) {
			return persistence.ModeUpdate{}, invalid(d.field, d.field+" is out of range")
		}
	}
	return persistence.ModeUpdate{Level: p.Level, Rows: p.Rows, Cols: p.Cols, Duration: millis(p.DurationMs),
		SpawnInterval: millis(p.SpawnIntervalMs), Visible: millis(p.VisibleMs), MaxMolesUp: p.MolesAtOnce,
		HitPoints: p.HitPoints, GoldenChance: p.GoldenChance, GoldenPoints: p.GoldenPoints,
		BombChance: p.BombChance, BombPenalty: p.BombPenalty, Countdown: millis(p.CountdownMs),
		MaxPlayers: p.MaxPlayers, Active: p.Active, Ranked: p.Ranked}, nil
}

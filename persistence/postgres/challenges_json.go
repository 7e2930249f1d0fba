package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// rulesJSON encodes a challenge's effective rules as to_jsonb(game_modes)
// does (game_mode_versions.rules): column names, durations in
// milliseconds. They are read back through jsonb_populate_record, exactly
// as ModeAt reads a kept version (challengeSelect), so one decoding serves
// both.
func rulesJSON(m persistence.Mode) ([]byte, error) {
	b, err := json.Marshal(map[string]any{
		"name": m.Name, "level": m.Level, "rows": m.Rows, "cols": m.Cols,
		"duration_ms": m.Duration.Milliseconds(), "spawn_interval_ms": m.SpawnInterval.Milliseconds(),
		"visible_ms": m.Visible.Milliseconds(), "max_moles_up": m.MaxMolesUp, "hit_points": m.HitPoints,
		"golden_chance": m.GoldenChance, "golden_points": m.GoldenPoints, "bomb_chance": m.BombChance,
		"bomb_penalty": m.BombPenalty, "countdown_ms": m.Countdown.Milliseconds(), "max_players": m.MaxPlayers,
		"active": m.Active, "ranked": m.Ranked, "version": m.Version,
	})
	if err != nil {
		return nil, fmt.Errorf("encode rules: %w", err)
	}
	return b, nil
}

// overridesJSON is a challenge's rule overrides in the API's field names
// (PATCH /admin/modes), absent fields unchanged. Active and ranked are the
// mode's, never a challenge's, so they are not kept.
type overridesJSON struct {
	Level           *string  `json:"level,omitempty"`
	Rows            *int     `json:"rows,omitempty"`
	Cols            *int     `json:"cols,omitempty"`
	DurationMs      *int64   `json:"durationMs,omitempty"`
	SpawnIntervalMs *int64   `json:"spawnIntervalMs,omitempty"`
	VisibleMs       *int64   `json:"visibleMs,omitempty"`
	MolesAtOnce     *int     `json:"molesAtOnce,omitempty"`
	HitPoints       *int     `json:"hitPoints,omitempty"`
	GoldenChance    *float64 `json:"goldenChance,omitempty"`
	GoldenPoints    *int     `json:"goldenPoints,omitempty"`
	BombChance      *float64 `json:"bombChance,omitempty"`
	BombPenalty     *int     `json:"bombPenalty,omitempty"`
	CountdownMs     *int64   `json:"countdownMs,omitempty"`
	MaxPlayers      *int     `json:"maxPlayers,omitempty"`
}

func encodeOverrides(u persistence.ModeUpdate) ([]byte, error) {
	b, err := json.Marshal(overridesJSON{Level: u.Level, Rows: u.Rows, Cols: u.Cols, DurationMs: ms(u.Duration),
		SpawnIntervalMs: ms(u.SpawnInterval), VisibleMs: ms(u.Visible), MolesAtOnce: u.MaxMolesUp,
		HitPoints: u.HitPoints, GoldenChance: u.GoldenChance, GoldenPoints: u.GoldenPoints,
		BombChance: u.BombChance, BombPenalty: u.BombPenalty, CountdownMs: ms(u.Countdown), MaxPlayers: u.MaxPlayers})
	if err != nil {
		return nil, fmt.Errorf("encode overrides: %w", err)
	}
	return b, nil
}

func decodeOverrides(b []byte) (persistence.ModeUpdate, error) {
	var o overridesJSON
	if err := json.Unmarshal(b, &o); err != nil {
		return persistence.ModeUpdate{}, fmt.Errorf("decode overrides: %w", err)
	}
	return persistence.ModeUpdate{Level: o.Level, Rows: o.Rows, Cols: o.Cols, Duration: dur(o.DurationMs),
		SpawnInterval: dur(o.SpawnIntervalMs), Visible: dur(o.VisibleMs), MaxMolesUp: o.MolesAtOnce,
		HitPoints: o.HitPoints, GoldenChance: o.GoldenChance, GoldenPoints: o.GoldenPoints,
		BombChance: o.BombChance, BombPenalty: o.BombPenalty, Countdown: dur(o.CountdownMs), MaxPlayers: o.MaxPlayers}, nil
}

func ms(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	v := d.Milliseconds()
	return &v
}

func dur(v *int64) *time.Duration {
	if v == nil {
		return nil
	}
	d := time.Duration(*v) * time.Millisecond
	return &d
}

// challengeRules applies a challenge's overrides to its mode: the rules
// every attempt plays. Active and ranked stay the mode's.
func challengeRules(mode persistence.Mode, overrides persistence.ModeUpdate) (persistence.Mode, error) {
	overrides.Active, overrides.Ranked = nil, nil
	rules := overrides.Apply(mode)
	if err := rules.Check(); err != nil {
		return persistence.Mode{}, err
	}
	return rules, nil
}

package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// challengeColumns reads a challenges row c with its rules r and overrides o
// unpacked by jsonb_populate_record (challengeFrom): rules and overrides are
// stored in game_modes' own column names, as game_mode_versions.rules is,
// so one decoder reads both.
const challengeColumns = `c.id, c.kind, c.title, c.description, c.mode,
	r.name, r.level, r.rows, r.cols, r.duration_ms, r.spawn_interval_ms, r.visible_ms, r.max_moles_up,
	r.hit_points, r.golden_chance, r.golden_points, r.bomb_chance, r.bomb_penalty, r.countdown_ms, r.max_players,
	coalesce(r.active, true), coalesce(r.ranked, true), coalesce(r.version, 0),
	o.level, o.rows, o.cols, o.duration_ms, o.spawn_interval_ms, o.visible_ms, o.max_moles_up,
	o.hit_points, o.golden_chance, o.golden_points, o.bomb_chance, o.bomb_penalty, o.countdown_ms, o.max_players,
	o.active, o.ranked,
	c.starts_at, c.ends_at, c.max_attempts, coalesce(c.reward_badge::text, ''), c.reward_top,
	coalesce(c.created_by::text, ''), c.created_at, c.updated_at, c.cancelled_at, c.started_at, c.ended_at`

// challengeFrom is the FROM clause challengeColumns reads.
const challengeFrom = `challenges c
	CROSS JOIN LATERAL jsonb_populate_record(NULL::game_modes, c.rules) r
	CROSS JOIN LATERAL jsonb_populate_record(NULL::game_modes, c.overrides) o`

// modeRules is a mode's rules in game_modes' column names: the JSON of
// challenges.rules (and of game_mode_versions.rules).
type modeRules struct {
	Name            string  `json:"name"`
	Level           string  `json:"level"`
	Rows            int     `json:"rows"`
	Cols            int     `json:"cols"`
	DurationMs      int64   `json:"duration_ms"`
	SpawnIntervalMs int64   `json:"spawn_interval_ms"`
	VisibleMs       int64   `json:"visible_ms"`
	MaxMolesUp      int     `json:"max_moles_up"`
	HitPoints       int     `json:"hit_points"`
	GoldenChance    float64 `json:"golden_chance"`
	GoldenPoints    int     `json:"golden_points"`
	BombChance      float64 `json:"bomb_chance"`
	BombPenalty     int     `json:"bomb_penalty"`
	CountdownMs     int64   `json:"countdown_ms"`
	MaxPlayers      int     `json:"max_players"`
	Active          bool    `json:"active"`
	Ranked          bool    `json:"ranked"`
	Version         int64   `json:"version"`
}

// modeOverrides is a ModeUpdate in game_modes' column names: the JSON of
// challenges.overrides, holding only the fields set.
type modeOverrides struct {
	Level           *string  `json:"level,omitempty"`
	Rows            *int     `json:"rows,omitempty"`
	Cols            *int     `json:"cols,omitempty"`
	DurationMs      *int64   `json:"duration_ms,omitempty"`
	SpawnIntervalMs *int64   `json:"spawn_interval_ms,omitempty"`
	VisibleMs       *int64   `json:"visible_ms,omitempty"`
	MaxMolesUp      *int     `json:"max_moles_up,omitempty"`
	HitPoints       *int     `json:"hit_points,omitempty"`
	GoldenChance    *float64 `json:"golden_chance,omitempty"`
	GoldenPoints    *int     `json:"golden_points,omitempty"`
	BombChance      *float64 `json:"bomb_chance,omitempty"`
	BombPenalty     *int     `json:"bomb_penalty,omitempty"`
	CountdownMs     *int64   `json:"countdown_ms,omitempty"`
	MaxPlayers      *int     `json:"max_players,omitempty"`
	Active          *bool    `json:"active,omitempty"`
	Ranked          *bool    `json:"ranked,omitempty"`
}

// encodeChallengeRules returns the rules and overrides JSON of c.
func encodeChallengeRules(c persistence.Challenge) (rules, overrides []byte, err error) {
	m := c.Rules
	rules, err = json.Marshal(modeRules{
		Name: m.Name, Level: m.Level, Rows: m.Rows, Cols: m.Cols, DurationMs: m.Duration.Milliseconds(),
		SpawnIntervalMs: m.SpawnInterval.Milliseconds(), VisibleMs: m.Visible.Milliseconds(), MaxMolesUp: m.MaxMolesUp,
		HitPoints: m.HitPoints, GoldenChance: m.GoldenChance, GoldenPoints: m.GoldenPoints, BombChance: m.BombChance,
		BombPenalty: m.BombPenalty, CountdownMs: m.Countdown.Milliseconds(), MaxPlayers: m.MaxPlayers,
		Active: m.Active, Ranked: m.Ranked, Version: m.Version,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("encode rules: %w", err)
	}
	u := c.Overrides
	overrides, err = json.Marshal(modeOverrides{
		Level: u.Level, Rows: u.Rows, Cols: u.Cols, DurationMs: overrideMillis(u.Duration),
		SpawnIntervalMs: overrideMillis(u.SpawnInterval), VisibleMs: overrideMillis(u.Visible), MaxMolesUp: u.MaxMolesUp,
		HitPoints: u.HitPoints, GoldenChance: u.GoldenChance, GoldenPoints: u.GoldenPoints, BombChance: u.BombChance,
		BombPenalty: u.BombPenalty, CountdownMs: overrideMillis(u.Countdown), MaxPlayers: u.MaxPlayers,
		Active: u.Active, Ranked: u.Ranked,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("encode overrides: %w", err)
	}
	return rules, overrides, nil
}

func overrideMillis(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	ms := d.Milliseconds()
	return &ms
}

func overrideDuration(ms *int64) *time.Duration {
	if ms == nil {
		return nil
	}
	d := time.Duration(*ms) * time.Millisecond
	return &d
}

// scanChallenge reads one row of challengeColumns.
func scanChallenge(row pgx.Row) (persistence.Challenge, error) {
	var c persistence.Challenge
	var kind string
	var duration, spawn, visible, countdown int64
	var oDuration, oSpawn, oVisible, oCountdown *int64
	var cancelled, started, ended *time.Time
	m, u := &c.Rules, &c.Overrides
	err := row.Scan(&c.ID, &kind, &c.Title, &c.Description, &c.Mode,
		&m.Name, &m.Level, &m.Rows, &m.Cols, &duration, &spawn, &visible, &m.MaxMolesUp,
		&m.HitPoints, &m.GoldenChance, &m.GoldenPoints, &m.BombChance, &m.BombPenalty, &countdown, &m.MaxPlayers,
		&m.Active, &m.Ranked, &m.Version,
		&u.Level, &u.Rows, &u.Cols, &oDuration, &oSpawn, &oVisible, &u.MaxMolesUp,
		&u.HitPoints, &u.GoldenChance, &u.GoldenPoints, &u.BombChance, &u.BombPenalty, &oCountdown, &u.MaxPlayers,
		&u.Active, &u.Ranked,
		&c.StartsAt, &c.EndsAt, &c.MaxAttempts, &c.RewardBadge, &c.RewardTop,
		&c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &cancelled, &started, &ended)
	if err != nil {
		return persistence.Challenge{}, err
	}
	c.Kind = persistence.ChallengeKind(kind)
	m.Duration = time.Duration(duration) * time.Millisecond
	m.SpawnInterval = time.Duration(spawn) * time.Millisecond
	m.Visible = time.Duration(visible) * time.Millisecond
	m.Countdown = time.Duration(countdown) * time.Millisecond
	u.Duration, u.SpawnInterval, u.Visible, u.Countdown = overrideDuration(oDuration), overrideDuration(oSpawn), overrideDuration(oVisible), overrideDuration(oCountdown)
	c.StartsAt, c.EndsAt = c.StartsAt.UTC(), c.EndsAt.UTC()
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.CancelledAt, c.StartedAt, c.EndedAt = timeOrZero(cancelled).UTC(), timeOrZero(started).UTC(), timeOrZero(ended).UTC()
	return c, nil
}

package persistence

import (
	"context"
	"fmt"
	"regexp"
	"time"
)

// Mode name and rule bounds, the checks of migrations 001 and 018.
const (
	MaxModeRows       = 10
	MaxModePlayers    = 8
	MaxModeDuration   = time.Hour
	maxModeSpan       = 24 * time.Hour
	modeDurationUnit  = time.Millisecond
	modeNameMaxLength = 23
)

// ModeNamePattern is what a mode name may look like: it travels in board
// identities ("<mode>/<board>/<period>") and in an on-chain root's short
// string, so it is short, lowercase and slash-free (migration 018's check;
// actors/leaderboard/standings.ValidMode is the same rule).
var ModeNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,22}$`)

// Mode levels.
var modeLevels = []string{"easy", "normal", "hard"}

// ModeRuleError is a mode that breaks one of its rules: Field names the
// offending field in the API's words. Gateways answer it as a validation
// error of that field.
type ModeRuleError struct {
	Field   string
	Message string
}

// Error returns the message.
func (e *ModeRuleError) Error() string { return e.Field + ": " + e.Message }

func ruleErr(field, format string, args ...any) error {
	return &ModeRuleError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Check reports the first rule m breaks as a *ModeRuleError, the same
// rules the table enforces, so a write never fails on a check constraint.
func (m Mode) Check() error {
	checks := []struct {
		bad          bool
		field, issue string
	}{
		{!ModeNamePattern.MatchString(m.Name), "name", "must be 1 to 23 lowercase letters, digits or dashes"},
		{!validLevel(m.Level), "level", "must be easy, normal or hard"},
		{m.Rows < 1 || m.Rows > MaxModeRows, "rows", "must be from 1 to 10"},
		{m.Cols < 1 || m.Cols > MaxModeRows, "cols", "must be from 1 to 10"},
		{!wholeMillis(m.Duration, MaxModeDuration), "durationMs", "must be from 1 ms to one hour"},
		{!wholeMillis(m.SpawnInterval, m.Duration), "spawnIntervalMs", "must be from 1 ms to the duration"},
		{!wholeMillis(m.Visible, m.Duration), "visibleMs", "must be from 1 ms to the duration"},
		{m.MaxMolesUp < 1 || m.MaxMolesUp > m.Rows*m.Cols, "molesAtOnce", "must be from 1 to the number of holes"},
		{m.HitPoints < 0 || m.HitPoints > 1_000_000, "hitPoints", "must be from 0 to 1000000"},
		{!chance(m.GoldenChance), "goldenChance", "must be from 0 to 1"},
		{m.GoldenPoints < 0 || m.GoldenPoints > 1_000_000, "goldenPoints", "must be from 0 to 1000000"},
		{!chance(m.BombChance), "bombChance", "must be from 0 to 1"},
		{m.GoldenChance+m.BombChance > 1, "bombChance", "goldenChance plus bombChance must not exceed 1"},
		{m.BombPenalty < 0 || m.BombPenalty > 1_000_000, "bombPenalty", "must be from 0 to 1000000"},
		{m.Countdown < 0 || m.Countdown > time.Minute || m.Countdown%modeDurationUnit != 0, "countdownMs", "must be from 0 to 60000 whole milliseconds"},
		{m.MaxPlayers < 1 || m.MaxPlayers > MaxModePlayers, "maxPlayers", "must be from 1 to 8"},
	}
	for _, c := range checks {
		if c.bad {
			return ruleErr(c.field, "%s", c.issue)
		}
	}
	return nil
}

func validLevel(l string) bool {
	for _, v := range modeLevels {
		if l == v {
			return true
		}
	}
	return false
}

// wholeMillis: positive, at most hi, in whole milliseconds (the column unit).
func wholeMillis(d, hi time.Duration) bool {
	return d >= modeDurationUnit && d <= hi && d <= maxModeSpan && d%modeDurationUnit == 0
}

func chance(p float64) bool { return p >= 0 && p <= 1 }

// ModeUpdate is an edit of a mode: nil fields stay as they are. The name is
// an identity (boards and sessions carry it) and cannot change.
type ModeUpdate struct {
	Level         *string
	Rows, Cols    *int
	Duration      *time.Duration
	SpawnInterval *time.Duration
	Visible       *time.Duration
	MaxMolesUp    *int
	HitPoints     *int
	GoldenChance  *float64
	GoldenPoints  *int
	BombChance    *float64
	BombPenalty   *int
	Countdown     *time.Duration
	MaxPlayers    *int
	Active        *bool
	Ranked        *bool
}

// Apply returns m with u's fields set.
func (u ModeUpdate) Apply(m Mode) Mode {
	set(&m.Level, u.Level)
	set(&m.Rows, u.Rows)
	set(&m.Cols, u.Cols)
	set(&m.Duration, u.Duration)
	set(&m.SpawnInterval, u.SpawnInterval)
	set(&m.Visible, u.Visible)
	set(&m.MaxMolesUp, u.MaxMolesUp)
	set(&m.HitPoints, u.HitPoints)
	set(&m.GoldenChance, u.GoldenChance)
	set(&m.GoldenPoints, u.GoldenPoints)
	set(&m.BombChance, u.BombChance)
	set(&m.BombPenalty, u.BombPenalty)
	set(&m.Countdown, u.Countdown)
	set(&m.MaxPlayers, u.MaxPlayers)
	set(&m.Active, u.Active)
	set(&m.Ranked, u.Ranked)
	return m
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// ModeCatalogue reads and edits every mode, retired ones included: the
// public mode list, the admin routes and the leaderboard routes (a retired
// ranked mode's boards stay readable). Reads are served from the node's
// memory, dropped on every change to the modes wherever it was made.
type ModeCatalogue interface {
	// AllModes lists every mode, active or not, ordered by name.
	AllModes(ctx context.Context) ([]Mode, error)
	// LookupMode returns the named mode, active or not, or ErrNotFound;
	// from memory, so request paths may call it.
	LookupMode(ctx context.Context, name string) (Mode, error)
	// CreateMode adds m after Check; a *ModeRuleError when it breaks a rule,
	// ErrConflict (with ErrExists) when the name is taken.
	// Audited (ActionModeCreate) in the same transaction.
	CreateMode(ctx context.Context, by AuditActor, m Mode) (Mode, error)
	// UpdateMode edits the named mode and returns it as stored; the edit
	// and Check of the result happen under the row's lock, so two edits
	// never combine into a mode that breaks a rule. ErrNotFound for an
	// unknown name, a *ModeRuleError when the result breaks a rule. Games
	// already created keep the rules they were created with.
	// Audited (ActionModeUpdate) in the same transaction.
	UpdateMode(ctx context.Context, by AuditActor, name string, u ModeUpdate) (Mode, error)
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var (
	_ persistence.ModeStore     = (*Store)(nil)
	_ persistence.ModeCatalogue = (*Store)(nil)
)

const modeWriteColumns = `name, level, rows, cols, duration_ms, spawn_interval_ms, visible_ms, max_moles_up,
	hit_points, golden_chance, golden_points, bomb_chance, bomb_penalty, countdown_ms, max_players, active, ranked`

// modeColumns are read; version is the tables' own (migration 018's triggers).
const modeColumns = modeWriteColumns + `, version`

// modeAtSQL reads a kept version's rules as a game_modes row.
const modeAtSQL = `SELECT ` + modeColumns + ` FROM (SELECT (jsonb_populate_record(NULL::game_modes, rules)).*
	FROM game_mode_versions WHERE name = $1 AND version = $2) m`

const insertModeSQL = `INSERT INTO game_modes (` + modeWriteColumns + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`

const updateModeSQL = `UPDATE game_modes SET level = $2, rows = $3, cols = $4, duration_ms = $5,
	spawn_interval_ms = $6, visible_ms = $7, max_moles_up = $8, hit_points = $9, golden_chance = $10,
	golden_points = $11, bomb_chance = $12, bomb_penalty = $13, countdown_ms = $14, max_players = $15,
	active = $16, ranked = $17
WHERE name = $1`

// Mode implements persistence.ModeStore. Every new game reads its mode, so
// it is served from the node's copy of the whole table (modeCache): an
// unknown or inactive name costs no query either.
func (s *Store) Mode(ctx context.Context, name string) (persistence.Mode, error) {
	m, err := s.LookupMode(ctx, name)
	if err != nil {
		return persistence.Mode{}, err
	}
	if !m.Active {
		return persistence.Mode{}, fmt.Errorf("mode %s: %w", name, persistence.ErrNotFound)
	}
	return m, nil
}

// LookupMode implements persistence.ModeCatalogue.
func (s *Store) LookupMode(ctx context.Context, name string) (persistence.Mode, error) {
	all, err := s.catalogue(ctx)
	if err != nil {
		return persistence.Mode{}, fmt.Errorf("mode %s: %w", name, err)
	}
	m, ok := all[name]
	if !ok {
		return persistence.Mode{}, fmt.Errorf("mode %s: %w", name, persistence.ErrNotFound)
	}
	return m, nil
}

// ModeAt implements persistence.ModeStore. Read only when a session
// resumes (its own version), so it is not cached.
func (s *Store) ModeAt(ctx context.Context, name string, version int64) (persistence.Mode, error) {
	defer observe("mode_at", time.Now())
	m, err := scanMode(s.pool.QueryRow(ctx, modeAtSQL, name, version))
	if err != nil {
		return persistence.Mode{}, mapErr(fmt.Sprintf("mode %s version %d", name, version), err)
	}
	return m, nil
}

// Modes implements persistence.ModeStore.
func (s *Store) Modes(ctx context.Context) ([]persistence.Mode, error) {
	all, err := s.AllModes(ctx)
	if err != nil {
		return nil, err
	}
	active := all[:0]
	for _, m := range all {
		if m.Active {
			active = append(active, m)
		}
	}
	return active, nil
}

// AllModes implements persistence.ModeCatalogue.
func (s *Store) AllModes(ctx context.Context) ([]persistence.Mode, error) {
	all, err := s.catalogue(ctx)
	if err != nil {
		return nil, fmt.Errorf("modes: %w", err)
	}
	return sortedModes(all), nil
}

// catalogue returns the node's copy of game_modes, reading it when the
// cache holds none. The map is shared: callers never modify it.
func (s *Store) catalogue(ctx context.Context) (map[string]persistence.Mode, error) {
	now := s.now()
	all, ok, gen := s.modes.get(now)
	if ok {
		modeCacheHits.Inc()
		return all, nil
	}
	defer observe("modes", time.Now())
	rows, err := s.pool.Query(ctx, `SELECT `+modeColumns+` FROM game_modes`)
	if err != nil {
		return nil, mapErr("read modes", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.Mode, error) { return scanMode(r) })
	if err != nil {
		return nil, mapErr("read modes", err)
	}
	all = make(map[string]persistence.Mode, len(list))
	for _, m := range list {
		all[m.Name] = m
	}
	s.modes.put(all, now, gen)
	return all, nil
}

// CreateMode implements persistence.ModeCatalogue. The table's trigger
// (migration 015) drops every node's cache; this node's is dropped at once
// so its next read sees the mode without waiting for the notification.
func (s *Store) CreateMode(ctx context.Context, by persistence.AuditActor, m persistence.Mode) (persistence.Mode, error) {
	defer observe("create_mode", time.Now())
	if err := m.Check(); err != nil {
		return persistence.Mode{}, fmt.Errorf("create mode %s: %w", m.Name, err)
	}
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		err := tx.QueryRow(ctx, insertModeSQL+` RETURNING version`, modeArgs(m)...).Scan(&m.Version)
		return change(persistence.ActionModeCreate, "mode", m.Name, nil, m), err
	})
	if isCode(err, codeUniqueViolation) {
		return persistence.Mode{}, fmt.Errorf("create mode %s: %w: %w", m.Name, persistence.ErrConflict, persistence.ErrExists)
	}
	if err != nil {
		return persistence.Mode{}, mapErr("create mode "+m.Name, err)
	}
	s.InvalidateModes()
	return m, nil
}

// UpdateMode implements persistence.ModeCatalogue.
func (s *Store) UpdateMode(ctx context.Context, by persistence.AuditActor, name string, u persistence.ModeUpdate) (persistence.Mode, error) {
	defer observe("update_mode", time.Now())
	op := "update mode " + name
	var out persistence.Mode
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		cur, err := scanMode(tx.QueryRow(ctx, `SELECT `+modeColumns+` FROM game_modes WHERE name = $1 FOR UPDATE`, name))
		if err != nil {
			return nil, err
		}
		out = u.Apply(cur)
		if err := out.Check(); err != nil {
			return nil, err
		}
		err = tx.QueryRow(ctx, updateModeSQL+` RETURNING version`, modeArgs(out)...).Scan(&out.Version)
		return change(persistence.ActionModeUpdate, "mode", name, cur, out), err
	})
	// Mapped once, here: the closure's errors are raw.
	var rule *persistence.ModeRuleError
	if errors.As(err, &rule) {
		return persistence.Mode{}, fmt.Errorf("%s: %w", op, err)
	}
	if err != nil {
		return persistence.Mode{}, mapErr(op, err)
	}
	s.InvalidateModes()
	return out, nil
}

func modeArgs(m persistence.Mode) []any {
	return []any{m.Name, m.Level, m.Rows, m.Cols, m.Duration.Milliseconds(), m.SpawnInterval.Milliseconds(),
		m.Visible.Milliseconds(), m.MaxMolesUp, m.HitPoints, m.GoldenChance, m.GoldenPoints, m.BombChance,
		m.BombPenalty, m.Countdown.Milliseconds(), m.MaxPlayers, m.Active, m.Ranked}
}

func scanMode(row pgx.Row) (persistence.Mode, error) {
	var d modeDest
	if err := row.Scan(d.targets()...); err != nil {
		return persistence.Mode{}, err
	}
	return d.mode(), nil
}

// modeDest receives the modeColumns of a row, alone (scanMode) or after
// other columns (a challenge's rules, challenges.go).
type modeDest struct {
	m                                   persistence.Mode
	duration, spawn, visible, countdown int64
}

func (d *modeDest) targets() []any {
	m := &d.m
	return []any{&m.Name, &m.Level, &m.Rows, &m.Cols, &d.duration, &d.spawn, &d.visible, &m.MaxMolesUp, &m.HitPoints,
		&m.GoldenChance, &m.GoldenPoints, &m.BombChance, &m.BombPenalty, &d.countdown, &m.MaxPlayers, &m.Active,
		&m.Ranked, &m.Version}
}

func (d *modeDest) mode() persistence.Mode {
	m := d.m
	m.Duration = time.Duration(d.duration) * time.Millisecond
	m.SpawnInterval = time.Duration(d.spawn) * time.Millisecond
	m.Visible = time.Duration(d.visible) * time.Millisecond
	m.Countdown = time.Duration(d.countdown) * time.Millisecond
	return m
}

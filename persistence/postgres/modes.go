package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

const modeColumns = `name, level, rows, cols, duration_ms, spawn_interval_ms, visible_ms, max_moles_up, hit_points,
	golden_chance, golden_points, bomb_chance, bomb_penalty, countdown_ms, max_players, active`

// Mode implements persistence.ModeStore. Every new game reads its mode, so
// active modes are served from memory: dropped on every change to
// game_modes (ListenModes) and re-read at least every modeCacheTTL. An
// unknown or inactive mode is not cached.
func (s *Store) Mode(ctx context.Context, name string) (persistence.Mode, error) {
	now := s.now()
	if m, ok, _ := s.modes.get(name, now); ok {
		modeCacheHits.Inc()
		return m, nil
	}
	defer observe("mode", time.Now())
	_, _, gen := s.modes.get(name, now)
	row := s.pool.QueryRow(ctx, `SELECT `+modeColumns+` FROM game_modes WHERE name = $1 AND active`, name)
	m, err := scanMode(row)
	if err != nil {
		return m, mapErr("mode "+name, err)
	}
	s.modes.put(m, now, gen)
	return m, nil
}

// Modes implements persistence.ModeStore.
func (s *Store) Modes(ctx context.Context) ([]persistence.Mode, error) {
	defer observe("modes", time.Now())
	rows, err := s.pool.Query(ctx, `SELECT `+modeColumns+` FROM game_modes WHERE active ORDER BY name`)
	if err != nil {
		return nil, mapErr("modes", err)
	}
	modes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.Mode, error) { return scanMode(r) })
	if err != nil {
		return nil, fmt.Errorf("modes: %w", err)
	}
	return modes, nil
}

func scanMode(row pgx.Row) (persistence.Mode, error) {
	var m persistence.Mode
	var duration, spawn, visible, countdown int64
	err := row.Scan(&m.Name, &m.Level, &m.Rows, &m.Cols, &duration, &spawn, &visible, &m.MaxMolesUp, &m.HitPoints,
		&m.GoldenChance, &m.GoldenPoints, &m.BombChance, &m.BombPenalty, &countdown, &m.MaxPlayers, &m.Active)
	if err != nil {
		return persistence.Mode{}, err
	}
	m.Duration = time.Duration(duration) * time.Millisecond
	m.SpawnInterval = time.Duration(spawn) * time.Millisecond
	m.Visible = time.Duration(visible) * time.Millisecond
	m.Countdown = time.Duration(countdown) * time.Millisecond
	return m, nil
}

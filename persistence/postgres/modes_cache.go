package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// modeChannel is the NOTIFY channel of migration 015's trigger on game_modes.
const modeChannel = "proofstell_modes"

// modeCacheTTL bounds how long a cached mode is served: the safety net for
// a change whose notification this node missed (its listener was
// reconnecting).
const modeCacheTTL = 30 * time.Second

// listenRetry is the wait before a dropped cache listener reconnects.
const listenRetry = time.Second

// modeCache keeps the node's copy of game_modes, every mode, active or
// not. gen counts invalidations: a read that began before one does not fill
// the cache, so a mode changed mid-read is never kept.
type modeCache struct {
	mu    sync.RWMutex // read on every new game and leaderboard request
	gen   uint64
	modes map[string]persistence.Mode // nil: nothing cached
	at    time.Time
}

// get returns the fresh cached modes and the generation to fill under.
func (c *modeCache) get(now time.Time) (map[string]persistence.Mode, bool, uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.modes != nil && now.Sub(c.at) < modeCacheTTL && !now.Before(c.at) {
		return c.modes, true, c.gen
	}
	return nil, false, c.gen
}

// put caches the modes read at now, unless an invalidation came since gen.
func (c *modeCache) put(modes map[string]persistence.Mode, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	c.modes, c.at = modes, now
}

// sortedModes lists the modes by name.
func sortedModes(all map[string]persistence.Mode) []persistence.Mode {
	out := make([]persistence.Mode, 0, len(all))
	for _, m := range all {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b persistence.Mode) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (c *modeCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.modes = nil
}

// InvalidateModes drops every cached mode: the next Mode reads PostgreSQL.
func (s *Store) InvalidateModes() {
	s.modes.invalidate()
	modeInvalidations.Inc()
}

// ListenModes keeps this node's mode cache true to game_modes until ctx
// ends: it LISTENs on its own connection for the notifications migration
// 015's trigger sends on every change and drops the cache at each one. When
// the connection drops it reconnects after a second and drops the cache
// again (a change may have passed unheard). onChange, when not nil, is
// called after each drop (tests wait on it); onFailure, when not nil, hears
// why the listener dropped. It returns when ctx ends.
func (s *Store) ListenModes(ctx context.Context, onChange func(), onFailure func(error)) {
	s.listen(ctx, modeChannel, "mode", s.InvalidateModes, onChange, onFailure)
}

// listen keeps a cache true to its tables until ctx ends: it LISTENs on
// channel on a connection of its own and calls invalidate on every
// notification and after each (re)connection, since a change may have
// passed unheard while it was away; onChange, when not nil, follows each
// invalidate, and onFailure hears each lost connection before the retry.
func (s *Store) listen(ctx context.Context, channel, what string, invalidate, onChange func(), onFailure func(error)) {
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, channel, what, invalidate, onChange)
		if ctx.Err() != nil {
			return
		}
		if onFailure != nil {
			onFailure(err)
		}
		timer := time.NewTimer(listenRetry)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

func (s *Store) listenOnce(ctx context.Context, channel, what string, invalidate, onChange func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect %s listener: %w", what, err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return fmt.Errorf("listen for %s changes: %w", what, err)
	}
	for {
		invalidate()
		if onChange != nil {
			onChange()
		}
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for %s changes: %w", what, err)
		}
	}
}

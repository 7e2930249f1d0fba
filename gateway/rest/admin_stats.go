package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/persistence"
)

// statsCacheTTL is how long a node serves the dashboard it computed: the
// figures move by the minute, and admins refreshing a dashboard together
// should cost one query set, not one each.
const statsCacheTTL = 30 * time.Second

// statsCacheKey is the one entry of the stats cache.
const statsCacheKey = "stats"

var statsCacheLookups = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "proofstell_rest_admin_stats_cache_lookups_total",
	Help: "Admin dashboard look-ups by result (hit, miss).",
}, []string{"result"})

// StatsDeps serves the admin dashboard and exports (admins only).
type StatsDeps struct {
	// Store computes the dashboard and streams the exports; nil answers 503.
	Store persistence.StatsStore
}

// statsCache keeps the encoded dashboard for statsCacheTTL and lets one
// request at a time compute it: the others wait (or give up with their
// context) and then find it cached.
type statsCache struct {
	pages *pageCache
	fill  chan struct{}
}

func newStatsCache(now func() time.Time) *statsCache {
	pages := newPageCache(statsCacheTTL, now)
	pages.lookups = statsCacheLookups
	return &statsCache{pages: pages, fill: make(chan struct{}, 1)}
}

// get returns the cached body or computes, caches and returns it.
func (c *statsCache) get(ctx context.Context, compute func(context.Context) ([]byte, error)) ([]byte, error) {
	if body, ok := c.pages.get(statsCacheKey); ok {
		return body, nil
	}
	select {
	case c.fill <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for admin stats: %w", ctx.Err())
	}
	defer func() { <-c.fill }()
	if body, ok := c.pages.get(statsCacheKey); ok {
		return body, nil // computed while this request waited
	}
	body, err := compute(ctx)
	if err != nil {
		return nil, err
	}
	c.pages.put(statsCacheKey, body)
	return body, nil
}

// adminStatsJSON is the body of GET /admin/stats.
type adminStatsJSON struct {
	At            time.Time         `json:"at"`
	ActivePlayers windowJSON        `json:"activePlayers"`
	Signups       windowJSON        `json:"signups"`
	GamesPerHour  gamesPerHourJSON  `json:"gamesPerHour"`
	Flagged       flaggedJSON       `json:"flagged"`
	SessionLength sessionLengthJSON `json:"sessionLength"`
	MintQueue     []mintQueueJSON   `json:"mintQueue"`
}

type windowJSON struct {
	Day   int `json:"day"`
	Week  int `json:"week"`
	Month int `json:"month"`
}

// gamesPerHourJSON: Modes[m][i] counts mode m's games finished in
// [From + i h, From + (i+1) h).
type gamesPerHourJSON struct {
	From  time.Time        `json:"from"`
	Modes map[string][]int `json:"modes"`
}

type flaggedJSON struct {
	Day  flaggedRateJSON `json:"day"`
	Week flaggedRateJSON `json:"week"`
}

type flaggedRateJSON struct {
	Results int     `json:"results"`
	Flagged int     `json:"flagged"`
	Rate    float64 `json:"rate"` // flagged / results; 0 without results
}

type sessionLengthJSON struct {
	Games     int   `json:"games"`
	AverageMs int64 `json:"averageMs"` // 0 without games
}

type mintQueueJSON struct {
	Chain     string `json:"chain"`
	Pending   int    `json:"pending"`
	Submitted int    `json:"submitted"`
	Failed    int    `json:"failed"`
	// OldestPendingAgeSeconds is null when nothing is pending.
	OldestPendingAgeSeconds *int64 `json:"oldestPendingAgeSeconds"`
}

// statsRoutes registers the dashboard and the exports (admins only, like
// the other operators' views: matchmaking stats, referrals, mints).
func (a *api) statsRoutes(r chi.Router) {
	admin := r.With(a.requireRole(persistence.RoleAdmin))
	admin.Get("/admin/stats", a.handle(a.adminStats))
	admin.Get("/admin/exports/players.csv", a.handle(a.exportPlayers))
	admin.Get("/admin/exports/results.csv", a.handle(a.exportResults))
}

// adminStats serves the dashboard from the node's cache, at most
// statsCacheTTL old (its "at" says when it was computed).
func (a *api) adminStats(w http.ResponseWriter, r *http.Request) error {
	if a.Stats.Store == nil {
		return fmt.Errorf("admin stats: %w", errNotConfigured)
	}
	body, err := a.stats.get(r.Context(), func(ctx context.Context) ([]byte, error) {
		st, err := a.Stats.Store.AdminStats(ctx, a.now())
		if err != nil {
			return nil, fmt.Errorf("admin stats: %w", err)
		}
		body, err := json.Marshal(newAdminStatsJSON(st))
		if err != nil {
			return nil, fmt.Errorf("encode admin stats: %w", err)
		}
		return body, nil
	})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, max-age=30")
	writeBody(w, http.StatusOK, body)
	return nil
}

// newAdminStatsJSON renders st.
func newAdminStatsJSON(st persistence.AdminStats) adminStatsJSON {
	out := adminStatsJSON{At: st.At.UTC(), ActivePlayers: windowJSON(st.Active), Signups: windowJSON(st.Signups),
		GamesPerHour:  gamesPerHourJSON{From: st.HoursFrom.UTC(), Modes: st.GamesPerHour},
		Flagged:       flaggedJSON{Day: newFlaggedRate(st.FlaggedDay), Week: newFlaggedRate(st.FlaggedWeek)},
		SessionLength: sessionLengthJSON{Games: st.SessionGames}, MintQueue: make([]mintQueueJSON, 0, len(st.MintQueue))}
	if out.GamesPerHour.Modes == nil {
		out.GamesPerHour.Modes = map[string][]int{}
	}
	if st.SessionGames > 0 {
		out.SessionLength.AverageMs = st.SessionTotal.Milliseconds() / int64(st.SessionGames)
	}
	for _, q := range st.MintQueue {
		j := mintQueueJSON{Chain: q.Chain, Pending: q.Pending, Submitted: q.Submitted, Failed: q.Failed}
		if !q.OldestPending.IsZero() {
			age := max(int64(st.At.Sub(q.OldestPending)/time.Second), 0)
			j.OldestPendingAgeSeconds = &age
		}
		out.MintQueue = append(out.MintQueue, j)
	}
	return out
}

func newFlaggedRate(f persistence.FlaggedRate) flaggedRateJSON {
	out := flaggedRateJSON{Results: f.Results, Flagged: f.Flagged}
	if f.Results > 0 {
		out.Rate = float64(f.Flagged) / float64(f.Results)
	}
	return out
}

package rest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/internal/openapi"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// Seeded ids: fixed so the exports' (session, player) order is known.
const (
	statsP1 = "00000000-0000-0000-0000-000000000001"
	statsP2 = "00000000-0000-0000-0000-000000000002"
	statsP3 = "00000000-0000-0000-0000-000000000003"
	statsP4 = "00000000-0000-0000-0000-000000000004"
	statsP5 = "00000000-0000-0000-0000-000000000005"
	statsP6 = "00000000-0000-0000-0000-000000000006"
	statsP7 = "00000000-0000-0000-0000-000000000007"
	statsG1 = "10000000-0000-0000-0000-000000000001"
	statsG2 = "10000000-0000-0000-0000-000000000002"
	statsG3 = "10000000-0000-0000-0000-000000000003"
	statsG4 = "10000000-0000-0000-0000-000000000004"
)

// trickyUsername needs RFC 4180 quoting: a comma, quotes and a newline.
const trickyUsername = "mole,\"quoted\"\nline"

// countingStats counts dashboard computations; block, when set, holds
// each one until it is closed (entered is told first).
type countingStats struct {
	persistence.StatsStore
	calls   atomic.Int32
	entered chan struct{}
	block   chan struct{}
}

func (c *countingStats) AdminStats(ctx context.Context, now time.Time) (persistence.AdminStats, error) {
	c.calls.Add(1)
	if c.block != nil {
		c.entered <- struct{}{}
		<-c.block
	}
	return c.StatsStore.AdminStats(ctx, now)
}

// statsHarness is a router over a real store whose database the test
// seeds directly, at a clock it moves.
type statsHarness struct {
	*harness
	url    string
	store  *postgres.Store
	stats  *countingStats
	clock  *testclock.Clock
	admin  signedIn
	player signedIn
	mod    signedIn
}

func newStatsHarness(t *testing.T) *statsHarness {
	t.Helper()
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	store, err := postgres.Open(ctx, config.Database{URL: url, MaxConns: 8}, func() time.Time { return testNow })
	require.NoError(t, err)
	t.Cleanup(store.Close)
	sh := &statsHarness{url: url, store: store, stats: &countingStats{StatsStore: store}, clock: testclock.New(testNow)}
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	sh.harness = newHarness(t, tokens, store, store, func(d *Deps) {
		d.Now = sh.clock.Now
		d.Stats = StatsDeps{Store: sh.stats}
	})
	// Staff are created at testNow, outside every window ([at - w, at)).
	sh.admin = newSignedIn(t, store, persistence.RoleAdmin)
	sh.player = newSignedIn(t, store, persistence.RolePlayer)
	sh.mod = newSignedIn(t, store, persistence.RoleModerator)
	return sh
}

// exec runs seeding statements on the test's database.
func (sh *statsHarness) exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), sh.url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(t.Context()) }()
	_, err = conn.Exec(t.Context(), sql, args...)
	require.NoError(t, err)
}

// checked runs a GET and requires the exchange to match docs/openapi.yaml.
func (sh *statsHarness) checked(t testing.TB, path, token string) *httptest.ResponseRecorder {
	t.Helper()
	w := sh.get(t, path, token)
	doc, err := openapi.Embedded(t.Context())
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodGet, path, http.NoBody)
	r.Header.Set("Authorization", "Bearer "+token)
	require.NoError(t, doc.Check(t.Context(), openapi.Exchange{Request: r, Status: w.Code, Header: w.Header(),
		ResponseBody: w.Body.Bytes()}))
	return w
}

// seedStats writes the world the expected numbers describe (N = testNow):
//
//	p1 created N-1h; g1 (classic, N-150m..N-149m) flagged (open); email account
//	p2 created N-3d; g4 (classic, ended N-3d) flagged then cleared; refresh N-5d
//	p3 created N-20d; g5 (classic, ended N-10d)
//	p4 created N-40d; games ended N-31d, exactly N, one aborted, one running: never active
//	p5 created N-40d; refresh token issued exactly N-24h (in the day)
//	p6 created N-40d; g1, g2 (classic, N-32m..N-30m), g3 (frenzy, N-24h-1m..N-24h)
//	p7 created N-40d; g3, voided (finished a game, no counted result)
func (sh *statsHarness) seedStats(t testing.TB) {
	t.Helper()
	n := testNow
	sh.exec(t, `INSERT INTO players (id, username, display_name, created_at) VALUES
		($1, $8, '=HYPERLINK("x")', $9), ($2, 'p2', '', $10), ($3, 'p3', '', $11),
		($4, 'p4', '', $12), ($5, 'p5', '', $12), ($6, 'p6', '', $12), ($7, 'p7', '', $12)`,
		statsP1, statsP2, statsP3, statsP4, statsP5, statsP6, statsP7, trickyUsername,
		n.Add(-time.Hour), n.Add(-72*time.Hour), n.Add(-20*24*time.Hour), n.Add(-40*24*time.Hour))
	sh.exec(t, `INSERT INTO account_credentials (player_id, email, password_hash, email_verified_at)
		VALUES ($1, 'p1@example.com', repeat('h', 60), $2)`, statsP1, n.Add(-time.Hour))
	games := []struct {
		id, mode, state string
		start, end      time.Time
		players         []string
	}{
		{statsG1, "classic", "finished", n.Add(-150 * time.Minute), n.Add(-149 * time.Minute), []string{statsP1, statsP6}},
		{statsG2, "classic", "finished", n.Add(-32 * time.Minute), n.Add(-30 * time.Minute), []string{statsP6}},
		{statsG3, "frenzy", "finished", n.Add(-24*time.Hour - time.Minute), n.Add(-24 * time.Hour), []string{statsP6, statsP7}},
		{statsG4, "classic", "finished", n.Add(-72*time.Hour - time.Minute), n.Add(-72 * time.Hour), []string{statsP2}},
		{"10000000-0000-0000-0000-000000000005", "classic", "finished", n.Add(-240 * time.Hour), n.Add(-240*time.Hour + time.Minute), []string{statsP3}},
		{"10000000-0000-0000-0000-000000000006", "classic", "finished", n.Add(-31 * 24 * time.Hour), n.Add(-31*24*time.Hour + time.Minute), []string{statsP4}},
		{"10000000-0000-0000-0000-000000000007", "classic", "finished", n.Add(-time.Minute), n, []string{statsP4}},
		{"10000000-0000-0000-0000-000000000008", "classic", "aborted", n.Add(-time.Hour), n.Add(-time.Hour), []string{statsP4}},
		{"10000000-0000-0000-0000-000000000009", "classic", "running", n.Add(-time.Minute), time.Time{}, []string{statsP4}},
	}
	for _, g := range games {
		var end *time.Time
		if !g.end.IsZero() {
			end = &g.end
		}
		sh.exec(t, `INSERT INTO sessions (id, mode, kind, max_players, creator_id, player_ids, state, seed, created_at, started_at, ended_at)
			VALUES ($1, $2, 'match', 8, $3, $4, $5, 7, $6, $6, $7)`, g.id, g.mode, g.players[0], g.players, g.state, g.start, end)
		for i, p := range g.players {
			sh.exec(t, `INSERT INTO session_players (session_id, player_id, session_created_at, score, hits, misses, reached_at)
				VALUES ($1, $2, $3, $4::bigint, $4::int, 1, $3)`, g.id, p, g.start, 10*(i+1))
		}
	}
	sh.exec(t, `UPDATE session_players SET voided = 'banned', score = 0, hits = 0, misses = 0 WHERE player_id = $1`, statsP7)
	sh.exec(t, `UPDATE session_players SET flagged = true, flags = 3 WHERE session_id = $1 AND player_id = $2`, statsG1, statsP1)
	sh.exec(t, `INSERT INTO flags (session_id, player_id, mode, score, evidence, created_at) VALUES ($1, $2, 'classic', 10, '{}', $3)`,
		statsG1, statsP1, n.Add(-149*time.Minute))
	sh.exec(t, `INSERT INTO flags (session_id, player_id, mode, score, evidence, created_at, status, decided_by, decided_at, reason)
		VALUES ($1, $2, 'classic', 10, '{}', $3, 'cleared', $2, $3, 'fine')`, statsG4, statsP2, n.Add(-72*time.Hour))
	for i, tok := range []struct {
		player string
		at     time.Time
	}{{statsP2, n.Add(-120 * time.Hour)}, {statsP5, n.Add(-24 * time.Hour)}, {statsP4, n.Add(time.Minute)}, {statsP1, n.Add(-48 * time.Hour)}} {
		sh.exec(t, `INSERT INTO refresh_tokens (id, family_id, player_id, token_hash, expires_at, created_at)
			VALUES (gen_random_uuid(), gen_random_uuid(), $1, $2, $3, $4)`, tok.player, []byte(fmt.Sprint("hash-", i)), n.Add(time.Hour), tok.at)
	}
	sh.exec(t, `INSERT INTO badges (id, slug, name, criteria) VALUES ('20000000-0000-0000-0000-000000000001', 'stats-badge', 'Stats', '{}')`)
	for _, m := range []struct {
		player, chain, status string
		at                    time.Time
	}{
		{statsP1, "starknet", "pending", n.Add(-2 * time.Hour)}, {statsP2, "starknet", "pending", n.Add(-30 * time.Minute)},
		{statsP3, "starknet", "failed", n.Add(-time.Hour)}, {statsP4, "stellar", "submitted", n.Add(-time.Hour)},
		{statsP5, "stellar", "accepted", n.Add(-time.Hour)},
	} {
		sh.exec(t, `INSERT INTO mint_requests (player_id, badge_id, chain, recipient, token_id, status, created_at)
			VALUES ($1, '20000000-0000-0000-0000-000000000001', $2, 'r', '0x'||repeat('a', 32), $3, $4)`, m.player, m.chain, m.status, m.at)
	}
}

func TestAdminStats_Figures(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	sh.seedStats(t)
	w := sh.checked(t, "/api/v1/admin/stats", sh.admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[adminStatsJSON](t, w)

	classic, frenzy := make([]int, 24), make([]int, 24)
	classic[21], classic[23], frenzy[0] = 1, 1, 1
	seconds := func(d time.Duration) *int64 { s := int64(d / time.Second); return &s }
	require.Equal(t, adminStatsJSON{
		At:            testNow,
		ActivePlayers: windowJSON{Day: 4, Week: 5, Month: 6},
		Signups:       windowJSON{Day: 1, Week: 2, Month: 3},
		GamesPerHour:  gamesPerHourJSON{From: testNow.Add(-24 * time.Hour), Modes: map[string][]int{"classic": classic, "frenzy": frenzy}},
		Flagged: flaggedJSON{Day: flaggedRateJSON{Results: 4, Flagged: 1, Rate: 0.25},
			Week: flaggedRateJSON{Results: 5, Flagged: 2, Rate: 0.4}},
		SessionLength: sessionLengthJSON{Games: 3, AverageMs: 80_000},
		MintQueue: []mintQueueJSON{
			{Chain: "starknet", Pending: 2, Failed: 1, OldestPendingAgeSeconds: seconds(2 * time.Hour)},
			{Chain: "stellar", Submitted: 1},
		},
	}, got)
}

func TestAdminStats_EmptyDatabase(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	w := sh.checked(t, "/api/v1/admin/stats", sh.admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[adminStatsJSON](t, w)
	require.Empty(t, got.GamesPerHour.Modes)
	require.Zero(t, got.Flagged.Day.Rate)
	require.Zero(t, got.SessionLength.AverageMs)
	require.Equal(t, []mintQueueJSON{{Chain: "starknet"}, {Chain: "stellar"}}, got.MintQueue)
}

// The node serves the dashboard it computed for 30 s, then computes anew.
func TestAdminStats_CachedPerNode(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	first := sh.get(t, "/api/v1/admin/stats", sh.admin.AccessToken)
	require.Equal(t, http.StatusOK, first.Code, first.Body.String())
	require.EqualValues(t, 1, sh.stats.calls.Load())

	sh.seedStats(t) // the cached body does not see it yet
	sh.clock.Advance(statsCacheTTL - time.Second)
	second := sh.get(t, "/api/v1/admin/stats", sh.admin.AccessToken)
	require.Equal(t, first.Body.String(), second.Body.String())
	require.EqualValues(t, 1, sh.stats.calls.Load())

	sh.clock.Advance(time.Second)
	third := sh.get(t, "/api/v1/admin/stats", sh.admin.AccessToken)
	require.EqualValues(t, 2, sh.stats.calls.Load())
	require.Equal(t, testNow.Add(statsCacheTTL), decode[adminStatsJSON](t, third).At)
}

// A burst of admins while the dashboard is being computed costs one
// computation: the others wait for it and are served from the cache.
func TestAdminStats_OneComputationForABurst(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	sh.stats.entered, sh.stats.block = make(chan struct{}, 8), make(chan struct{})
	const burst = 6
	codes := make([]int, burst)
	var wg sync.WaitGroup
	for i := range burst {
		wg.Go(func() { codes[i] = sh.get(t, "/api/v1/admin/stats", sh.admin.AccessToken).Code })
	}
	<-sh.stats.entered
	close(sh.stats.block)
	wg.Wait()
	require.EqualValues(t, 1, sh.stats.calls.Load())
	for _, c := range codes {
		require.Equal(t, http.StatusOK, c)
	}
}

func TestAdminStats_AdminsOnly(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	for _, path := range []string{"/api/v1/admin/stats", "/api/v1/admin/exports/players.csv?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z",
		"/api/v1/admin/exports/results.csv?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"} {
		requireError(t, sh.get(t, path, sh.player.AccessToken), http.StatusForbidden, CodeForbidden)
		requireError(t, sh.get(t, path, sh.mod.AccessToken), http.StatusForbidden, CodeForbidden)
		requireError(t, sh.get(t, path, ""), http.StatusUnauthorized, CodeUnauthorized)
	}
	require.Zero(t, sh.stats.calls.Load())
}

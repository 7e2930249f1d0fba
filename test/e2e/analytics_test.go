package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/internal/analyticstest"
)

// analyticsIDSecret keys the pseudonymous ids; the test derives the ids it
// expects with it, and a restarted node keeps them.
const analyticsIDSecret = "e2e-analytics-id-secret-0123456789abcdef"

// fakeProviders are the four providers' fakes, by provider name.
type fakeProviders map[string]*analyticstest.Fake

func startFakeProviders(t *testing.T) fakeProviders {
	t.Helper()
	f := fakeProviders{}
	add := func(name string, fake *analyticstest.Fake, err error) {
		require.NoError(t, err)
		t.Cleanup(func() { _ = fake.Close() })
		f[name] = fake
	}
	ph, err := analyticstest.NewPostHog("phc_e2e", "")
	add("posthog", ph, err)
	mp, err := analyticstest.NewMixpanel("mp_e2e", "")
	add("mixpanel", mp, err)
	pl, err := analyticstest.NewPlausible("play.e2e.example", "")
	add("plausible", pl, err)
	ga, err := analyticstest.NewGA4("G-E2E", "ga-e2e-secret", "")
	add("ga4", ga, err)
	return f
}

// env points the node at the fakes under the original variable names.
func (f fakeProviders) env() []string {
	return []string{
		"ANALYTICS_ID_SECRET=" + analyticsIDSecret, "ANALYTICS_DRAIN_INTERVAL=100ms",
		"POSTHOG_API_KEY=phc_e2e", "POSTHOG_HOST=" + f["posthog"].URL,
		"MIXPANEL_TOKEN=mp_e2e", "MIXPANEL_API_HOST=" + f["mixpanel"].URL,
		"PLAUSIBLE_DOMAIN=play.e2e.example", "PLAUSIBLE_API_HOST=" + f["plausible"].URL,
		"GA_MEASUREMENT_ID=G-E2E", "GA_API_SECRET=ga-e2e-secret", "GA_API_HOST=" + f["ga4"].URL,
	}
}

// playerEvents are the events of one player a fake ingested, by name.
func playerEvents(fake *analyticstest.Fake, provider, playerID string) map[string][]analyticstest.Ingested {
	id := analytics.NewIdentity(analyticsIDSecret)
	want := id.Of(playerID)
	if provider == "plausible" {
		want = id.Addr(playerID) // Plausible counts visitors by address
	}
	out := map[string][]analyticstest.Ingested{}
	for _, e := range fake.Events() {
		if e.Player == want {
			out[e.Name] = append(out[e.Name], e)
		}
	}
	return out
}

// playerNames are the catalogue events a played game leaves for its player.
var playerNames = []string{analytics.SignedUp, analytics.GameStarted, analytics.GameFinished, analytics.ScreenViewed}

func hasAll(events map[string][]analyticstest.Ingested) bool {
	for _, n := range playerNames {
		if len(events[n]) == 0 {
			return false
		}
	}
	return true
}

// requireOnceEach checks a fake ingested no event twice, the player's
// game events each once, with their properties, and no invalid request.
func requireOnceEach(t *testing.T, provider string, fake *analyticstest.Fake, playerID string, score int64) {
	t.Helper()
	seen := map[string]int{}
	for _, e := range fake.Events() {
		seen[e.Identity()]++
		require.Equal(t, 1, seen[e.Identity()], "%s ingested %s twice", provider, e.Identity())
		raw, _ := json.Marshal(e)
		require.NotContains(t, string(raw), playerID, "%s never sees the player id", provider)
	}
	events := playerEvents(fake, provider, playerID)
	for _, n := range playerNames {
		require.Len(t, events[n], 1, "%s: %s once", provider, n)
	}
	finished := events[analytics.GameFinished][0].Props
	require.Equal(t, itoa(score), fmt.Sprint(finished["score"]), "%s: the score (Plausible takes it as text)", provider)
	require.Equal(t, "frenzy", finished["mode"])
	require.NotNil(t, finished["duration_ms"], "%s: the duration", provider)
	require.Equal(t, "guest", events[analytics.SignedUp][0].Props["method"])
	require.Empty(t, fake.Stats().Problems, "%s: every request had the provider's shape", provider)
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// playQuickGame signs a player in, plays a short frenzy game and sends a
// client event; it returns the player id and score.
func playQuickGame(t *testing.T, s *server) (string, int64) {
	t.Helper()
	admin := adminToken(t, s, "e2e-analytics-admin")
	quick := map[string]any{"durationMs": 2000, "spawnIntervalMs": 500, "visibleMs": 800, "molesAtOnce": 1,
		"goldenChance": 0, "bombChance": 0, "countdownMs": 0}
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/modes/frenzy", admin, quick, nil))
	token, playerID := s.guest("e2e-analytics-player")
	ws := dial(t, s, token)
	game, _ := startGame(t, ws, 1, "frenzy")
	hits, over := playLikeAPerson(t, ws, game)
	require.Len(t, over.Results, 1)
	var accepted struct{ Accepted int }
	require.Equal(t, http.StatusAccepted, s.call(http.MethodPost, "/api/v1/analytics/events", token,
		map[string]any{"events": []map[string]any{{"name": "screen_viewed", "key": "home-1", "props": map[string]any{"screen": "home"}}}},
		&accepted))
	require.Equal(t, 1, accepted.Accepted)
	return playerID, int64(hits)
}

// caughtUp reports whether every provider's cursor has passed every
// outbox row analytics reads: nothing more will be sent.
func caughtUp(t *testing.T, dbURL string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	var behind int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM unnest($1::text[]) AS p(name)
		WHERE NOT EXISTS (SELECT 1 FROM outbox_cursors c WHERE c.consumer = 'analytics.' || p.name AND c.part = 0
			AND (c.tx, c.id) >= (SELECT o.tx, o.id FROM outbox o WHERE o.topic = ANY($2) ORDER BY o.tx DESC, o.id DESC LIMIT 1))`,
		[]string{"posthog", "mixpanel", "plausible", "ga4"}, analytics.Topics()).Scan(&behind))
	return behind == 0
}

// TestServer_AnalyticsReachEveryProviderOnce: a game played on the real
// binary reaches all four providers' fakes, each event exactly once, with
// the pseudonymous id only.
func TestServer_AnalyticsReachEveryProviderOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a short game")
	}
	t.Parallel()
	fakes := startFakeProviders(t)
	s := startServer(t, fakes.env()...)
	playerID, score := playQuickGame(t, s)
	require.Eventually(t, func() bool {
		for name, f := range fakes {
			if !hasAll(playerEvents(f, name, playerID)) {
				return false
			}
		}
		return caughtUp(t, s.dbURL)
	}, 30*time.Second, 50*time.Millisecond)
	for name, f := range fakes {
		requireOnceEach(t, name, f, playerID, score)
	}
}

// TestServer_AnalyticsExactlyOnceAcrossOutageAndCrash: Mixpanel is down
// during the game and GA4 holds the node's request when the node is
// killed (-9); the other providers get everything meanwhile. After a
// restart every provider has every event exactly once.
func TestServer_AnalyticsExactlyOnceAcrossOutageAndCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a short game")
	}
	t.Parallel()
	fakes := startFakeProviders(t)
	fakes["mixpanel"].SetDown(true)
	fakes["ga4"].Hold()
	first := startServer(t, fakes.env()...)
	playerID, score := playQuickGame(t, first)
	require.Eventually(t, func() bool {
		return hasAll(playerEvents(fakes["posthog"], "posthog", playerID)) &&
			hasAll(playerEvents(fakes["plausible"], "plausible", playerID))
	}, 30*time.Second, 50*time.Millisecond, "a provider down or slow delays only itself")
	select {
	case <-fakes["ga4"].Held():
	case <-time.After(30 * time.Second):
		t.Fatal("no GA4 request held")
	}
	require.Empty(t, fakes["mixpanel"].Events())

	first.crash()
	require.Eventually(t, func() bool { return fakes["ga4"].Stats().Cut >= 1 }, 10*time.Second, 10*time.Millisecond,
		"the held request died with the node")
	require.Empty(t, fakes["ga4"].Events(), "a cut request ingests nothing")
	fakes["ga4"].Release()
	fakes["mixpanel"].SetDown(false)

	second := startServer(t, append(fakes.env(), "DATABASE_URL="+first.dbURL)...)
	require.Eventually(t, func() bool {
		for name, f := range fakes {
			if !hasAll(playerEvents(f, name, playerID)) {
				return false
			}
		}
		return caughtUp(t, first.dbURL)
	}, 60*time.Second, 50*time.Millisecond, "the restarted node delivers the rest")
	for name, f := range fakes {
		requireOnceEach(t, name, f, playerID, score)
	}
	require.NoError(t, second.stop())
}

// TestServer_AnalyticsMatchFormed: when a lobby fills, both players'
// match_formed reach the providers once, and the host's game_started
// names the match.
func TestServer_AnalyticsMatchFormed(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	fakes := startFakeProviders(t)
	s := startServer(t, fakes.env()...)
	hostToken, host := s.guest("e2e-analytics-host")
	guestToken, guest := s.guest("e2e-analytics-guest")
	wh, wg := dial(t, s, hostToken), dial(t, s, guestToken)
	wh.send("game:create", 1, map[string]any{"mode": "classic", "maxPlayers": 2})
	created := decode[struct{ SessionID, Code string }](t, wh.next("ack").D)
	wg.send("game:join", 1, map[string]string{"code": created.Code})
	require.Equal(t, created.SessionID, decode[struct{ SessionID string }](t, wg.next("ack").D).SessionID)

	for name, f := range fakes {
		require.Eventually(t, func() bool {
			return len(playerEvents(f, name, host)[analytics.MatchFormed]) == 1 &&
				len(playerEvents(f, name, guest)[analytics.MatchFormed]) == 1 &&
				len(playerEvents(f, name, host)[analytics.GameStarted]) == 1
		}, 30*time.Second, 50*time.Millisecond, "%s gets the match", name)
		formed := playerEvents(f, name, guest)[analytics.MatchFormed][0].Props
		require.Equal(t, created.SessionID, formed["match_id"], name)
		require.Equal(t, "2", fmt.Sprint(formed["players"]), name)
		started := playerEvents(f, name, host)[analytics.GameStarted][0].Props
		require.Equal(t, created.SessionID, started["match_id"], name)
		require.Empty(t, playerEvents(f, name, guest)[analytics.GameStarted], "%s: the guest's start is its match_formed", name)
		require.Empty(t, f.Stats().Problems, name)
	}
}

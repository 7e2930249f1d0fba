package analytics_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	worker "github.com/proofstell/proofstell/actors/analytics"
	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers"
	"github.com/proofstell/proofstell/analytics/providers/ga4"
	"github.com/proofstell/proofstell/analytics/providers/mixpanel"
	"github.com/proofstell/proofstell/analytics/providers/plausible"
	"github.com/proofstell/proofstell/analytics/providers/posthog"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/analyticstest"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// provider is one fake with the sender pointed at it.
type provider struct {
	name   string
	fake   *analyticstest.Fake
	sender providers.Sender
}

func newStore(t *testing.T) (*postgres.Store, *testclock.Clock) {
	t.Helper()
	clk := testclock.New(time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))
	s, err := postgres.Open(t.Context(), config.Database{URL: pgtest.NewDatabase(t), MaxConns: 8}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s, clk
}

// client is an HTTP client whose idle connections die with the test.
func client(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func started(t *testing.T, f *analyticstest.Fake, err error) {
	t.Helper()
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
}

// newProvider starts the named provider's fake and its sender.
func newProvider(t *testing.T, name string) provider {
	t.Helper()
	c := client(t)
	switch name {
	case "posthog":
		f, err := analyticstest.NewPostHog("phc_key", "")
		started(t, f, err)
		return provider{name, f, posthog.New(posthog.Config{APIKey: "phc_key", Host: f.URL}, c)}
	case "mixpanel":
		f, err := analyticstest.NewMixpanel("mp_token", "")
		started(t, f, err)
		return provider{name, f, mixpanel.New(mixpanel.Config{Token: "mp_token", Host: f.URL}, c)}
	case "plausible":
		f, err := analyticstest.NewPlausible("play.example", "")
		started(t, f, err)
		return provider{name, f, plausible.New(plausible.Config{Domain: "play.example", Host: f.URL}, c)}
	case "ga4":
		f, err := analyticstest.NewGA4("G-TEST", "secret", "")
		started(t, f, err)
		return provider{name, f, ga4.New(ga4.Config{MeasurementID: "G-TEST", APISecret: "secret", Host: f.URL}, c)}
	}
	t.Fatalf("unknown provider %s", name)
	return provider{}
}

var allProviders = []string{"posthog", "mixpanel", "plausible", "ga4"}

// queue writes n client events spread over three players, each with its
// own step so every event is distinct.
func queue(t *testing.T, s *postgres.Store, from, n int) {
	t.Helper()
	players := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
	var evs []persistence.ClientEvent
	for i := from; i < from+n; i++ {
		evs = append(evs, persistence.ClientEvent{PlayerID: players[i%3], Key: fmt.Sprintf("k%d", i),
			Name: analytics.TutorialCompleted, Props: map[string]any{"step": float64(i)}})
	}
	added, err := s.QueueClientEvents(t.Context(), evs)
	require.NoError(t, err)
	require.Equal(t, n, added)
}

// sleeps records the worker's retry waits and can act on each (heal a
// provider); it never really waits.
type sleeps struct {
	mu     sync.Mutex
	waits  []time.Duration
	onWait func(n int)
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	n := len(s.waits)
	s.mu.Unlock()
	if s.onWait != nil {
		s.onWait(n)
	}
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

func newWorker(store persistence.OutboxReader, p provider, sl *sleeps, metrics *worker.Metrics, ticks <-chan time.Time) *worker.Worker {
	if sl == nil {
		sl = &sleeps{}
	}
	return worker.New(worker.Deps{
		Store: store, Sender: p.sender, Mapper: analytics.Mapper{IDs: analytics.NewIdentity("test-secret")},
		Sleep: sl.sleep, Jitter: func() float64 { return 0.5 }, Metrics: metrics, Ticks: ticks, ReadLimit: 300,
	})
}

// drainAll drains until the worker has read everything queued; the
// snapshot horizon is server-wide, so another test's open transaction
// may hold rows back for a moment.
func drainAll(t *testing.T, w *worker.Worker, f *analyticstest.Fake, want int) {
	t.Helper()
	require.Eventually(t, func() bool {
		require.NoError(t, w.Drain(t.Context()))
		return len(f.Events()) >= want
	}, 20*time.Second, 10*time.Millisecond)
}

// requireExactlyOnce checks the fake holds want distinct events, each once,
// and only valid requests.
func requireExactlyOnce(t *testing.T, f *analyticstest.Fake, want int) {
	t.Helper()
	seen := map[string]int{}
	for _, e := range f.Events() {
		seen[e.Identity()]++
	}
	require.Len(t, seen, want, "every event delivered")
	for id, n := range seen {
		require.Equal(t, 1, n, "event %s ingested once", id)
	}
	require.Empty(t, f.Stats().Problems)
}

func newWorkerMapper() analytics.Mapper {
	return analytics.Mapper{IDs: analytics.NewIdentity("test-secret")}
}

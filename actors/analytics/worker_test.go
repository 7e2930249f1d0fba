package analytics_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	worker "github.com/proofstell/proofstell/actors/analytics"
	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers/ga4"
	"github.com/proofstell/proofstell/analytics/providers/mixpanel"
	"github.com/proofstell/proofstell/analytics/providers/posthog"
	"github.com/proofstell/proofstell/persistence"
)

func TestWorker_DeliversEveryEventOnceWithinLimits(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	const n = 260
	queue(t, s, 0, n)
	limits := map[string]int{"posthog": posthog.MaxEvents, "mixpanel": mixpanel.MaxEvents, "plausible": 1, "ga4": ga4.MaxEvents}
	for _, name := range allProviders {
		t.Run(name, func(t *testing.T) {
			p := newProvider(t, name)
			w := newWorker(s, p, nil, nil, nil)
			drainAll(t, w, p.fake, n)
			require.NoError(t, w.Drain(t.Context()), "a caught-up drain sends nothing")
			requireExactlyOnce(t, p.fake, n)
			st := p.fake.Stats()
			require.Zero(t, st.Duplicates)
			for _, size := range st.BatchSizes {
				require.LessOrEqual(t, size, limits[name])
			}
			if name == "posthog" {
				require.Equal(t, []int{100, 100, 60}, st.BatchSizes, "full batches")
			}
		})
	}
}

// A node killed while a provider holds its request: the request is cut,
// the cursor has not moved, and the next leader sends it again.
func TestWorker_CrashMidRequestDeliversExactlyOnce(t *testing.T) {
	t.Parallel()
	for _, name := range allProviders {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, _ := newStore(t)
			const n = 30
			queue(t, s, 0, n)
			p := newProvider(t, name)
			p.fake.Hold()
			ticks := make(chan time.Time, 1)
			ctx, crash := context.WithCancel(t.Context())
			w := newWorker(s, p, nil, nil, ticks)
			done := make(chan struct{})
			go func() { defer close(done); w.Run(ctx) }()
			for held := false; !held; {
				select {
				case ticks <- time.Now():
				case <-p.fake.Held():
					held = true
				}
			}
			crash()
			<-done
			require.Eventually(t, func() bool { return p.fake.Stats().Cut == 1 }, 10*time.Second, time.Millisecond)
			p.fake.Release()
			require.Empty(t, p.fake.Events(), "a cut request ingests nothing")

			next := newWorker(s, p, nil, nil, nil)
			drainAll(t, next, p.fake, n)
			requireExactlyOnce(t, p.fake, n)
		})
	}
}

// failAdvance is the real store whose first Advance fails: the node dies
// after the provider took a request and before its cursor moved.
type failAdvance struct {
	persistence.OutboxReader
	failed bool
}

func (f *failAdvance) Advance(ctx context.Context, consumer string, at persistence.OutboxCursor) error {
	if !f.failed {
		f.failed = true
		return errors.New("node killed")
	}
	return f.OutboxReader.Advance(ctx, consumer, at)
}

// A crash between a delivered request and its cursor: PostHog and
// Mixpanel drop the re-sent events by id; Plausible and GA4 have no id,
// and get that one request again, never more.
func TestWorker_ResendAfterLostAdvance(t *testing.T) {
	t.Parallel()
	for _, name := range allProviders {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, _ := newStore(t)
			const n = 12
			queue(t, s, 0, n)
			p := newProvider(t, name)
			w := newWorker(&failAdvance{OutboxReader: s}, p, nil, nil, nil)
			require.Eventually(t, func() bool {
				return w.Drain(t.Context()) != nil
			}, 20*time.Second, 10*time.Millisecond)
			first := p.fake.Stats().BatchSizes[0]

			drainAll(t, newWorker(s, p, nil, nil, nil), p.fake, n)
			switch name {
			case "posthog", "mixpanel":
				requireExactlyOnce(t, p.fake, n)
				require.Equal(t, first, p.fake.Stats().Duplicates, "the re-sent request was deduplicated")
			default:
				events := p.fake.Events()
				require.Len(t, events, n+first, "exactly the one request in flight is repeated")
			}
		})
	}
}

// Network errors, 429 and 5xx are retried with backoff (at least
// Retry-After) until the provider takes the events; nothing is lost.
func TestWorker_RetriesThroughAnOutage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		provider string
		fault    func(p provider)
		heal     func(p provider)
		minWait  time.Duration
	}{
		{name: "down", provider: "posthog", fault: func(p provider) { p.fake.SetDown(true) }, heal: func(p provider) { p.fake.SetDown(false) }},
		{name: "429 with Retry-After", provider: "mixpanel", fault: func(p provider) { p.fake.Fail(-1, http.StatusTooManyRequests, 7*time.Second) },
			heal: func(p provider) { p.fake.Fail(0, 0, 0) }, minWait: 7 * time.Second},
		{name: "5xx", provider: "ga4", fault: func(p provider) { p.fake.Fail(-1, http.StatusBadGateway, 0) }, heal: func(p provider) { p.fake.Fail(0, 0, 0) }},
		{name: "503 one event a time", provider: "plausible", fault: func(p provider) { p.fake.Fail(-1, http.StatusServiceUnavailable, 0) }, heal: func(p provider) { p.fake.Fail(0, 0, 0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newStore(t)
			const n = 40
			queue(t, s, 0, n)
			p := newProvider(t, tt.provider)
			tt.fault(p)
			sl := &sleeps{onWait: func(n int) {
				if n == 5 {
					tt.heal(p)
				}
			}}
			m, err := worker.NewMetrics(prometheus.NewRegistry())
			require.NoError(t, err)
			w := newWorker(s, p, sl, m, nil)
			drainAll(t, w, p.fake, n)
			requireExactlyOnce(t, p.fake, n)
			waits := sl.all()
			require.Len(t, waits, 5, "retried until healed, then no more")
			for i, d := range waits {
				require.GreaterOrEqual(t, d, tt.minWait, "never before Retry-After")
				if tt.minWait == 0 {
					require.Equal(t, worker.DefaultBaseBackoff<<i/2, d, "full jitter (0.5 here) over an exponential ceiling")
				}
			}
			require.InDelta(t, 5, testutil.ToFloat64(m.Retried(tt.provider)), 0)
			require.InDelta(t, n, testutil.ToFloat64(m.Delivered(tt.provider)), 0)
		})
	}
}

// A 4xx other than 429 refuses the request for good: its events are
// counted and passed so the stream goes on.
func TestWorker_RefusedRequestIsPassed(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	const n = 150
	queue(t, s, 0, n)
	p := newProvider(t, "posthog")
	p.fake.Fail(1, http.StatusBadRequest, 0)
	m, err := worker.NewMetrics(prometheus.NewRegistry())
	require.NoError(t, err)
	sl := &sleeps{}
	w := newWorker(s, p, sl, m, nil)
	drainAll(t, w, p.fake, n-posthog.MaxEvents)
	require.Len(t, p.fake.Events(), n-posthog.MaxEvents, "the refused batch is dropped, the rest delivered")
	require.Empty(t, sl.all(), "a refusal is not retried")
	require.InDelta(t, posthog.MaxEvents, testutil.ToFloat64(m.Failed("posthog", "refused")), 0)
}

// One provider down delays only its own worker: the other's events all
// arrive meanwhile, and the lag of the one down grows.
func TestWorker_ProviderDownDelaysOnlyItself(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	const n = 20
	queue(t, s, 0, n)
	down, up := newProvider(t, "posthog"), newProvider(t, "mixpanel")
	down.fake.SetDown(true)
	m, err := worker.NewMetrics(prometheus.NewRegistry())
	require.NoError(t, err)
	retrying := make(chan struct{}, 1)
	clk.Advance(time.Hour) // the rows were written an hour ago
	blocked := &sleeps{onWait: func(int) {
		select {
		case retrying <- struct{}{}:
		default:
		}
	}}
	ctx, cancel := context.WithCancel(t.Context())
	ticks := make(chan time.Time, 1)
	wDown := worker.New(worker.Deps{Store: s, Sender: down.sender, Mapper: newWorkerMapper(), Metrics: m, Ticks: ticks, Now: clk.Now,
		Sleep: func(ctx context.Context, d time.Duration) error {
			_ = blocked.sleep(ctx, d)
			<-ctx.Done()
			return ctx.Err()
		}})
	done := make(chan struct{})
	go func() { defer close(done); wDown.Run(ctx) }()
	for waiting := true; waiting; { // a tick may find the rows not yet past the horizon
		select {
		case ticks <- time.Now():
		case <-retrying:
			waiting = false
		}
	}

	drainAll(t, newWorker(s, up, nil, m, nil), up.fake, n)
	requireExactlyOnce(t, up.fake, n)
	require.Empty(t, down.fake.Events())
	require.GreaterOrEqual(t, testutil.ToFloat64(m.Lag("posthog")), time.Hour.Seconds(), "the lag of the provider down grows")
	require.Zero(t, testutil.ToFloat64(m.Lag("mixpanel")))
	cancel()
	<-done
}

// The runtime switch (features.analytics) pauses delivery without moving
// the cursor: a drain while off sends nothing, one switched off mid-way
// stops after the request in flight, and switching back on delivers
// everything queued, each event once.
func TestWorker_SwitchPausesDelivery(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	const n = 260
	queue(t, s, 0, n)
	require.Eventually(t, func() bool { // past the snapshot horizon, so a drain would read them
		rows, _, err := s.ReadAfter(t.Context(), "probe", analytics.Topics(), 1000)
		require.NoError(t, err)
		return len(rows) == n
	}, 20*time.Second, 10*time.Millisecond)
	p := newProvider(t, "posthog")
	var on atomic.Bool
	w := worker.New(worker.Deps{Store: s, Sender: p.sender, Mapper: newWorkerMapper(), Sleep: (&sleeps{}).sleep,
		ReadLimit: 300, Enabled: on.Load})

	require.NoError(t, w.Drain(t.Context()))
	require.Empty(t, p.fake.Events(), "nothing is sent while off")
	rows, _, err := s.ReadAfter(t.Context(), worker.ConsumerPrefix+"posthog", analytics.Topics(), 1000)
	require.NoError(t, err)
	require.Len(t, rows, n, "the cursor did not move")

	checks := 0
	offAfterFirst := worker.New(worker.Deps{Store: s, Sender: p.sender, Mapper: newWorkerMapper(), Sleep: (&sleeps{}).sleep,
		ReadLimit: 300, Enabled: func() bool { checks++; return checks == 1 }})
	require.NoError(t, offAfterFirst.Drain(t.Context()))
	require.Len(t, p.fake.Events(), posthog.MaxEvents, "switched off mid-round: the request in flight completes, no more")

	on.Store(true)
	drainAll(t, w, p.fake, n)
	requireExactlyOnce(t, p.fake, n)
}

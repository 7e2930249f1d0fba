package admission_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/internal/admission"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// level is a hand-set signal.
type level struct{ v float64 }

func (l *level) signal() admission.Signal {
	return admission.Signal{Name: "probe", Sample: func() float64 { return l.v }}
}

func newController(t *testing.T, opts admission.Options) *admission.Controller {
	t.Helper()
	if opts.Jitter == nil {
		opts.Jitter = func() float64 { return 0 }
	}
	c, err := admission.New(opts)
	require.NoError(t, err)
	return c
}

// TestController_AdaptiveLimit: past ShedAt the limit falls to 90 % of the
// games running, so new games are admitted only as running ones end; it
// holds between ResumeAt and ShedAt (hysteresis) and grows below ResumeAt
// while it is in use.
func TestController_AdaptiveLimit(t *testing.T) {
	t.Parallel()
	probe := &level{}
	m, err := admission.NewMetrics(nil)
	require.NoError(t, err)
	c := newController(t, admission.Options{Signals: []admission.Signal{probe.signal()}, Metrics: m, MaxOpening: 1000})
	var games []*admission.Ticket
	admit := func(n int) (admitted int) {
		for range n {
			ticket, d := c.Admit()
			if !d.Admitted {
				require.Equal(t, admission.ReasonPressure, d.Reason)
				continue
			}
			ticket.Answered()
			games = append(games, ticket)
			admitted++
		}
		return admitted
	}
	require.Equal(t, 100, admit(100), "no limit before the first pressure")

	probe.v = 2 // smoothed from 0: 1.0, at ShedAt
	c.Sample()
	require.Equal(t, admission.State{Pressure: 1, Shedding: true, Active: 100, Limit: 90,
		Signals: map[string]float64{"opening": 0, "probe": 1}}, c.State())
	require.Zero(t, admit(5), "100 games run, the limit is 90")
	for _, g := range games[:20] {
		g.Close()
	}
	games = games[20:]
	require.Equal(t, 10, admit(15), "ten places opened as twenty games ended")

	probe.v = 0.5 // smoothed: 0.75, between ResumeAt and ShedAt: hold
	c.Sample()
	require.Equal(t, int64(90), c.State().Limit)
	require.True(t, c.State().Shedding)
	probe.v = 0.2 // smoothed: 0.475, below ResumeAt: grow by a twentieth
	c.Sample()
	require.Equal(t, admission.State{Pressure: 0.475, Active: 90, Limit: 94,
		Signals: map[string]float64{"opening": 0, "probe": 0.475}}, c.State())
	require.Equal(t, 4, admit(10))
	require.Equal(t, 4.0, testutil.ToFloat64(m.Admitted)-110)
	require.Equal(t, 16.0, testutil.ToFloat64(m.Shed.WithLabelValues(admission.ReasonPressure)))
	require.Equal(t, 94.0, testutil.ToFloat64(m.Limit))

	probe.v = 10
	c.Sample()
	require.Equal(t, int64(94), c.State().Limit, "a cut waits four samples after the last: it acts only as games end")
	c.Sample()
	require.Equal(t, int64(84), c.State().Limit, "90 % of the 94 games running")
	for _, g := range games {
		g.Close()
	}
}

// TestController_RetryHint grows with pressure, spreads by the jitter and
// stays under its cap.
func TestController_RetryHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pressure, jitter float64
		want             time.Duration
	}{
		{1, 0.5, time.Second},
		{1, 0, 500 * time.Millisecond},
		{2.5, 0.5, 2500 * time.Millisecond},
		{40, 0.9, 5 * time.Second},
	}
	for _, tc := range tests {
		probe := &level{v: tc.pressure}
		c := newController(t, admission.Options{Signals: []admission.Signal{probe.signal()}, Smoothing: 1,
			Jitter: func() float64 { return tc.jitter }})
		c.Sample()
		var d admission.Decision
		for d.Admitted || d.Reason == "" {
			_, d = c.Admit() // the floor of the limit is admitted first
		}
		require.Equal(t, tc.want, d.RetryAfter, "pressure %.1f jitter %.1f", tc.pressure, tc.jitter)
	}
}

// TestController_RetryHintFollowsRefusedDemand: while far more games are
// refused than admitted the hint grows sample by sample, up to its cap;
// once refusals stop it shrinks back to RetryAfter.
func TestController_RetryHintFollowsRefusedDemand(t *testing.T) {
	t.Parallel()
	c := newController(t, admission.Options{MaxActive: 1, Smoothing: 1, RetryAfter: time.Second,
		MaxRetryAfter: 30 * time.Second, Jitter: func() float64 { return 0.5 }})
	ticket, d := c.Admit()
	require.True(t, d.Admitted)
	ticket.Answered()
	hint := func() time.Duration {
		_, d := c.Admit()
		require.False(t, d.Admitted)
		return d.RetryAfter
	}
	require.Equal(t, time.Second, hint(), "first refusal: the base hint")
	prev := time.Second
	for range 20 {
		for range 200 { // 200 refused, at most one admitted per sample
			hint()
		}
		c.Sample()
		next := hint()
		require.GreaterOrEqual(t, next, prev, "the hint grows while demand is refused")
		prev = next
	}
	require.Equal(t, 30*time.Second, prev, "capped at MaxRetryAfter")

	ticket.Close() // the game ends; nobody is refused any more
	for range 30 {
		c.Sample()
	}
	ticket, d = c.Admit()
	require.True(t, d.Admitted)
	ticket.Answered()
	require.Equal(t, time.Second, hint(), "back to the base hint once refusals stopped")
}

// TestController_Caps refuses at once (between samples) past MaxOpening
// and MaxActive, and a ticket gives its place back once.
func TestController_Caps(t *testing.T) {
	t.Parallel()
	c := newController(t, admission.Options{MaxOpening: 2, MaxActive: 3, Smoothing: 1})
	a, d := c.Admit()
	require.True(t, d.Admitted)
	b, _ := c.Admit()
	_, d = c.Admit()
	require.Equal(t, admission.ReasonOpening, d.Reason, "two games are opening")
	a.Answered()
	a.Answered()
	cc, d := c.Admit()
	require.True(t, d.Admitted, "the answered game no longer counts as opening")
	b.Answered()
	_, d = c.Admit()
	require.Equal(t, admission.ReasonActive, d.Reason, "three games are active")
	b.Close()
	b.Close()
	require.Equal(t, admission.State{Opening: 1, Active: 2, Signals: map[string]float64{}}, c.State())
	c.Sample()
	st := c.State()
	require.InDelta(t, 2.0/3, st.Pressure, 1e-9, "active 2 of 3 is the largest signal")
	require.Equal(t, map[string]float64{"opening": 0.5, "active": 2.0 / 3}, st.Signals)
	cc.Close()
	a.Close()
	require.Zero(t, c.State().Active)
}

func TestController_NilAdmitsEverything(t *testing.T) {
	t.Parallel()
	var c *admission.Controller
	ticket, d := c.Admit()
	require.True(t, d.Admitted)
	ticket.Answered()
	ticket.Close()
}

func TestController_RunSamplesOnTicks(t *testing.T) {
	t.Parallel()
	probe := &level{v: 3}
	ticks := make(chan time.Time)
	c := newController(t, admission.Options{Signals: []admission.Signal{probe.signal()}, Ticks: ticks})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.Run(ctx) }()
	ticks <- time.Time{}
	ticks <- time.Time{} // the first tick's sample is done once the second is taken
	require.True(t, c.State().Shedding)
	require.Equal(t, int64(admission.DefaultMinLimit), c.State().Limit)
	cancel()
	<-done
}

func TestNew_Validates(t *testing.T) {
	t.Parallel()
	_, err := admission.New(admission.Options{ShedAt: 1, ResumeAt: 1})
	require.ErrorContains(t, err, "resume pressure")
	_, err = admission.New(admission.Options{RetryAfter: 2 * time.Second, MaxRetryAfter: time.Second})
	require.ErrorContains(t, err, "max retry hint")
	_, err = admission.New(admission.Options{Smoothing: 1.5})
	require.ErrorContains(t, err, "smoothing")
	_, err = admission.New(admission.Options{MaxActive: -1})
	require.ErrorContains(t, err, "negative")
}

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
	probe.v = 0.2 // smoothed: 0.475, below ResumeAt: near the level it was cut at (100), grow by a twentieth
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

// TestController_LimitRecoversFastBelowItsLastCut: a limit cut far below
// the level pressure last struck at (a transient) grows by up to a quarter
// a sample while pressure is low, and only by a twentieth once it is back
// near that level.
func TestController_LimitRecoversFastBelowItsLastCut(t *testing.T) {
	t.Parallel()
	probe := &level{}
	c := newController(t, admission.Options{Signals: []admission.Signal{probe.signal()}, Smoothing: 1, MaxOpening: 10_000})
	var games []*admission.Ticket
	fill := func() { // clients wait at the door: every place is taken
		for {
			ticket, d := c.Admit()
			if !d.Admitted {
				return
			}
			ticket.Answered()
			games = append(games, ticket)
		}
	}
	for range 1000 {
		ticket, _ := c.Admit()
		ticket.Answered()
		games = append(games, ticket)
	}
	probe.v = 3
	c.Sample() // cut at 1,000 games running
	require.Equal(t, int64(900), c.State().Limit)
	for _, g := range games[:800] { // the transient ends most games; pressure stays high
		g.Close()
	}
	games = games[800:]
	for range cutEvery {
		c.Sample()
	}
	require.Equal(t, int64(180), c.State().Limit, "cut again to 90 % of the 200 still running")
	probe.v = 0
	var limits []int64
	for range 12 {
		fill()
		c.Sample()
		limits = append(limits, c.State().Limit)
	}
	require.Equal(t, []int64{225, 281, 351, 438, 547, 683, 853, 895, 939, 985, 1034, 1085}, limits,
		"+25 %% a sample up to 90 %% of the faded cut level (about 1,000), +5 %% past it")
	for _, g := range games {
		g.Close()
	}
}

// cutEvery mirrors the controller's spacing of cuts, in samples.
const cutEvery = 4

// TestController_RetryHintPacesReturns: shed clients get return times one
// step of 1/(1.25 × admission rate) apart, the first RetryAfter from now,
// none past MaxRetryAfter; once the promised times have passed, the next
// client again waits RetryAfter.
func TestController_RetryHintPacesReturns(t *testing.T) {
	t.Parallel()
	clock := time.Unix(1_700_000_000, 0)
	c := newController(t, admission.Options{MaxActive: 100, MaxOpening: 1000, Smoothing: 1,
		RetryAfter: time.Second, MaxRetryAfter: 5 * time.Second, Now: func() time.Time { return clock }})
	for range 100 { // 100 admitted in one 250 ms sample: 400 games/s, returns paced at 500/s
		ticket, d := c.Admit()
		require.True(t, d.Admitted)
		ticket.Answered()
	}
	c.Sample()
	hint := func() time.Duration {
		_, d := c.Admit()
		require.False(t, d.Admitted)
		return d.RetryAfter
	}
	require.Equal(t, 1002*time.Millisecond, hint(), "the first return: RetryAfter, then one 2 ms step")
	require.Equal(t, 1004*time.Millisecond, hint(), "the next one a step later")
	for range 998 {
		hint()
	}
	clock = clock.Add(500 * time.Millisecond)
	require.Equal(t, 2502*time.Millisecond, hint(), "the line goes on where it was while it is ahead of RetryAfter")
	for range 2000 {
		hint()
	}
	require.Equal(t, 5*time.Second, hint(), "no return promised past MaxRetryAfter")
	clock = clock.Add(time.Minute)
	require.Equal(t, 1002*time.Millisecond, hint(), "once the line has passed, RetryAfter again")
}

// TestController_ReturnRateRemembersThePeak: the pacing rate jumps to a
// higher admission rate at once and fades by half every ten seconds when
// fewer games are admitted (a transient cut of the limit does not slow the
// returns), never below MinLimit per RetryAfter.
func TestController_ReturnRateRemembersThePeak(t *testing.T) {
	t.Parallel()
	m, err := admission.NewMetrics(nil)
	require.NoError(t, err)
	c := newController(t, admission.Options{MaxOpening: 1000, Metrics: m, MinLimit: 16, RetryAfter: time.Second})
	c.Sample()
	require.InDelta(t, 1.25*16, testutil.ToFloat64(m.ReturnRate), 1e-9, "the floor before any admission")
	for range 200 { // 800 games/s
		ticket, _ := c.Admit()
		ticket.Close()
	}
	c.Sample()
	require.InDelta(t, 1000, testutil.ToFloat64(m.ReturnRate), 1e-9)
	for range 40 { // ten seconds without an admission
		c.Sample()
	}
	require.InDelta(t, 500, testutil.ToFloat64(m.ReturnRate), 1e-6, "half the peak after ten seconds")
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

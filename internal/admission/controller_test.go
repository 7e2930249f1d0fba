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

// TestController_Hysteresis sheds from ShedAt and admits again only below
// ResumeAt, so a node at the edge does not flap.
func TestController_Hysteresis(t *testing.T) {
	t.Parallel()
	probe := &level{}
	m, err := admission.NewMetrics(nil)
	require.NoError(t, err)
	c := newController(t, admission.Options{Signals: []admission.Signal{probe.signal()}, Metrics: m})
	steps := []struct {
		pressure float64
		admitted bool
	}{{0.5, true}, {0.99, true}, {1.0, false}, {0.8, false}, {0.71, false}, {0.69, true}, {0.9, true}, {2, false}}
	for i, s := range steps {
		probe.v = s.pressure
		c.Sample()
		ticket, d := c.Admit()
		require.Equal(t, s.admitted, d.Admitted, "step %d at pressure %.2f", i, s.pressure)
		ticket.Close()
		if !d.Admitted {
			require.Equal(t, admission.ReasonPressure, d.Reason)
		}
	}
	require.Equal(t, 4.0, testutil.ToFloat64(m.Shed.WithLabelValues(admission.ReasonPressure)))
	require.Equal(t, 4.0, testutil.ToFloat64(m.Admitted))
	require.Equal(t, 2.0, testutil.ToFloat64(m.Pressure))
	require.Equal(t, 1.0, testutil.ToFloat64(m.Shedding))
}

// TestController_RetryHint grows with pressure, spreads by the jitter and
// stays under its cap.
func TestController_RetryHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pressure, jitter float64
		want             time.Duration
	}{
		{1, 0, time.Second},
		{1, 0.5, 1250 * time.Millisecond},
		{2.5, 0, 2500 * time.Millisecond},
		{40, 0.9, 5 * time.Second},
	}
	for _, tc := range tests {
		probe := &level{v: tc.pressure}
		c := newController(t, admission.Options{Signals: []admission.Signal{probe.signal()},
			Jitter: func() float64 { return tc.jitter }})
		c.Sample()
		_, d := c.Admit()
		require.False(t, d.Admitted)
		require.Equal(t, tc.want, d.RetryAfter, "pressure %.1f jitter %.1f", tc.pressure, tc.jitter)
	}
}

// TestController_Caps refuses at once (between samples) past MaxOpening
// and MaxActive, and a ticket gives its place back once.
func TestController_Caps(t *testing.T) {
	t.Parallel()
	c := newController(t, admission.Options{MaxOpening: 2, MaxActive: 3})
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
	cancel()
	<-done
}

func TestNew_Validates(t *testing.T) {
	t.Parallel()
	_, err := admission.New(admission.Options{ShedAt: 1, ResumeAt: 1})
	require.ErrorContains(t, err, "resume pressure")
	_, err = admission.New(admission.Options{RetryAfter: 2 * time.Second, MaxRetryAfter: time.Second})
	require.ErrorContains(t, err, "max retry hint")
	_, err = admission.New(admission.Options{MaxActive: -1})
	require.ErrorContains(t, err, "negative")
}

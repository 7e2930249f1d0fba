package admission

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults applied to zero Options fields.
const (
	DefaultShedAt        = 1.0
	DefaultResumeAt      = 0.7
	DefaultInterval      = 250 * time.Millisecond
	DefaultRetryAfter    = time.Second
	DefaultMaxRetryAfter = 5 * time.Second
	DefaultMaxOpening    = 256
	// DefaultMinLimit is the floor of the adaptive limit on active games.
	DefaultMinLimit = 16
	// DefaultSmoothing is the weight of a new sample in the signals' moving
	// average: one spike (a GC cycle, a burst of sign-ins) does not shed.
	DefaultSmoothing = 0.5
	// backoff is the share of the active games the limit falls to when a
	// sample is past ShedAt, at most once every cutEvery samples (a cut
	// takes effect only as games end); growth adds a twentieth of the limit
	// per sample below ResumeAt while the limit is in use.
	backoff  = 0.9
	cutEvery = 4
	// shedsPerAdmit is the busy answers per admitted game the retry hint
	// aims for: past capacity, waiting clients then cost the node about two
	// cheap refusals per game instead of one every RetryAfter each.
	shedsPerAdmit = 2.0
)

// Shed reasons, the label of admission_shed_total.
const (
	ReasonPressure = "pressure" // a sampled signal crossed ShedAt
	ReasonOpening  = "opening"  // MaxOpening games are being opened now
	ReasonActive   = "active"   // MaxActive games are running
)

// Options configure a Controller. The zero value is usable: defaults, no
// external signals, no active cap.
type Options struct {
	// Signals are sampled on every tick besides the opening and active
	// counts.
	Signals []Signal
	// MaxOpening caps games admitted but not yet answered by their session
	// (default DefaultMaxOpening).
	MaxOpening int64
	// MaxActive caps games played through this node; 0: no cap.
	MaxActive int64
	// MinLimit is the floor of the adaptive limit (default
	// DefaultMinLimit).
	MinLimit int64
	// Smoothing is the weight in (0, 1] of a new sample in each signal's
	// moving average, which starts at 0 (default DefaultSmoothing; 1: none).
	Smoothing float64
	// ShedAt is the pressure at which shedding starts; ResumeAt (< ShedAt)
	// the pressure under which it stops.
	ShedAt, ResumeAt float64
	// RetryAfter is the retry hint at pressure 1; MaxRetryAfter caps it.
	RetryAfter, MaxRetryAfter time.Duration
	// Interval is the sampling period; Ticks, when set, replaces the
	// ticker (tests send the ticks).
	Interval time.Duration
	Ticks    <-chan time.Time
	// Jitter returns a number in [0, 1) that spreads retry hints (default
	// math/rand/v2); tests inject a constant.
	Jitter func() float64
	// Metrics receives the collectors; nil: unregistered ones.
	Metrics *Metrics
}

// Decision is the answer to Admit. RetryAfter is set when a game is shed.
type Decision struct {
	Admitted   bool
	Reason     string
	RetryAfter time.Duration
}

// State is the node's pressure as of the last sample, for /health/ready.
type State struct {
	Pressure float64
	Shedding bool
	Opening  int64
	Active   int64
	// Limit is the adaptive limit on active games (0: not set yet).
	Limit   int64
	Signals map[string]float64
}

// Controller measures pressure and admits or sheds new games. Admit is
// safe for concurrent use and costs a few atomic loads.
type Controller struct {
	opts     Options
	opening  atomic.Int64
	active   atomic.Int64
	shedding atomic.Bool
	pressure atomic.Uint64 // math.Float64bits
	// limit is the adaptive cap on active games: 0 until pressure first
	// crosses ShedAt (no cap but MaxActive), then cut to a share of the
	// active games on every sample past ShedAt and grown while pressure is
	// below ResumeAt. New games are admitted as running ones end, at the
	// rate the node sustains, instead of all or none.
	limit atomic.Int64
	// admits and sheds count decisions since the last sample; hint is the
	// base retry hint (nanoseconds) they steer (adaptHint).
	admits, sheds atomic.Int64
	hint          atomic.Int64

	mu      sync.Mutex // guards signals and smoothed (Sample's state)
	signals map[string]float64
	smooth  map[string]float64
	// sinceCut counts samples since the limit was last cut (Sample's
	// goroutine only).
	sinceCut int
}

// New validates opts and returns a controller; call Run to start sampling.
func New(opts Options) (*Controller, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Controller{opts: opts, signals: map[string]float64{}, smooth: map[string]float64{}}
	c.hint.Store(int64(opts.RetryAfter))
	return c, nil
}

func (o Options) withDefaults() (Options, error) {
	o.ShedAt = orFloat(o.ShedAt, DefaultShedAt)
	o.ResumeAt = orFloat(o.ResumeAt, DefaultResumeAt)
	o.Smoothing = orFloat(o.Smoothing, DefaultSmoothing)
	o.Interval = orDuration(o.Interval, DefaultInterval)
	o.RetryAfter = orDuration(o.RetryAfter, DefaultRetryAfter)
	o.MaxRetryAfter = orDuration(o.MaxRetryAfter, DefaultMaxRetryAfter)
	if o.MaxOpening <= 0 {
		o.MaxOpening = DefaultMaxOpening
	}
	if o.MinLimit <= 0 {
		o.MinLimit = DefaultMinLimit
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64 //nolint:gosec // G404: spreading retries needs no secrecy
	}
	if o.Metrics == nil {
		o.Metrics, _ = NewMetrics(nil)
	}
	var errs []error
	if o.ResumeAt >= o.ShedAt {
		errs = append(errs, errors.New("admission: resume pressure must be below the shed pressure"))
	}
	if o.MaxRetryAfter < o.RetryAfter {
		errs = append(errs, errors.New("admission: max retry hint must not be below the retry hint"))
	}
	if o.Smoothing < 0 || o.Smoothing > 1 {
		errs = append(errs, errors.New("admission: smoothing must be in (0, 1]"))
	}
	if o.MaxActive < 0 {
		errs = append(errs, errors.New("admission: max active games must not be negative"))
	}
	return o, errors.Join(errs...)
}

// Run samples every Interval (or on every Ticks value) until ctx ends.
func (c *Controller) Run(ctx context.Context) {
	ticks := c.opts.Ticks
	if ticks == nil {
		t := time.NewTicker(c.opts.Interval)
		defer t.Stop()
		ticks = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			c.Sample()
		}
	}
}

// Sample reads every signal once, smooths it, and moves the adaptive limit
// and the shedding state. Run calls it on each tick.
func (c *Controller) Sample() {
	values := map[string]float64{
		"opening": float64(c.opening.Load()) / float64(c.opts.MaxOpening),
	}
	if c.opts.MaxActive > 0 {
		values["active"] = float64(c.active.Load()) / float64(c.opts.MaxActive)
	}
	for _, s := range c.opts.Signals {
		values[s.Name] = s.Sample()
	}
	c.mu.Lock()
	pressure := 0.0
	for name, v := range values {
		v = c.opts.Smoothing*v + (1-c.opts.Smoothing)*c.smooth[name]
		c.smooth[name] = v
		values[name] = v
		pressure = math.Max(pressure, v)
		c.opts.Metrics.Signal.WithLabelValues(name).Set(v)
	}
	c.signals = values
	c.mu.Unlock()
	c.pressure.Store(math.Float64bits(pressure))
	c.adapt(pressure)
	c.adaptHint()
	c.opts.Metrics.Pressure.Set(pressure)
	c.opts.Metrics.Shedding.Set(boolFloat(c.shedding.Load()))
	c.opts.Metrics.Limit.Set(float64(c.limit.Load()))
}

// adapt cuts the limit past ShedAt (at most once every cutEvery samples)
// and grows it below ResumeAt while it is in use (at least 80 % of it
// taken); between the two it holds.
func (c *Controller) adapt(pressure float64) {
	active, limit := c.active.Load(), c.limit.Load()
	c.sinceCut++
	switch {
	case pressure >= c.opts.ShedAt:
		c.shedding.Store(true)
		if limit == 0 || c.sinceCut >= cutEvery {
			c.limit.Store(max(c.opts.MinLimit, int64(backoff*float64(active))))
			c.sinceCut = 0
		}
	case pressure < c.opts.ResumeAt:
		c.shedding.Store(false)
		if limit > 0 && active*5 >= limit*4 {
			c.limit.Store(limit + max(1, limit/20))
		}
	}
}

// adaptHint steers the retry hint by the demand the door turned away. With
// N clients waiting and room for μ games a second, a hint h brings back
// N/h clients a second; every hint shorter than N/μ only buys refusals. So
// while more than shedsPerAdmit games are refused per admitted one, the
// hint grows (by the square root of the excess, so it settles rather than
// swings), and it shrinks back towards RetryAfter as refusals fall; it
// stays within [RetryAfter, MaxRetryAfter].
func (c *Controller) adaptHint() {
	admits, sheds := c.admits.Swap(0), c.sheds.Swap(0)
	hint := float64(c.hint.Load())
	if sheds == 0 {
		hint *= 0.8
	} else {
		hint *= math.Sqrt(float64(sheds) / (shedsPerAdmit * float64(max(admits, 1))))
	}
	hint = math.Min(math.Max(hint, float64(c.opts.RetryAfter)), float64(c.opts.MaxRetryAfter))
	c.hint.Store(int64(hint))
}

// Admit decides on one new game. An admitted game holds a Ticket until its
// session answered (Ticket.Answered) and until it ended (Ticket.Close). A
// nil controller admits everything.
func (c *Controller) Admit() (*Ticket, Decision) {
	if c == nil {
		return nil, Decision{Admitted: true}
	}
	var reason string
	active := c.active.Load()
	switch {
	case c.limit.Load() > 0 && active >= c.limit.Load():
		reason = ReasonPressure
	case c.opening.Load() >= c.opts.MaxOpening:
		reason = ReasonOpening
	case c.opts.MaxActive > 0 && active >= c.opts.MaxActive:
		reason = ReasonActive
	}
	if reason != "" {
		c.opts.Metrics.Shed.WithLabelValues(reason).Inc()
		c.sheds.Add(1)
		return nil, Decision{Reason: reason, RetryAfter: c.retryAfter()}
	}
	c.admits.Add(1)
	c.opening.Add(1)
	c.active.Add(1)
	c.opts.Metrics.Admitted.Inc()
	c.opts.Metrics.Opening.Inc()
	c.opts.Metrics.Active.Inc()
	return &Ticket{c: c}, Decision{Admitted: true}
}

// retryAfter scales the demand-steered hint with pressure and spreads it
// over half to one and a half times that, so shed clients come back spread
// out.
func (c *Controller) retryAfter() time.Duration {
	p := math.Max(1, math.Float64frombits(c.pressure.Load()))
	d := time.Duration(float64(c.hint.Load()) * p * (0.5 + c.opts.Jitter()))
	return min(d, c.opts.MaxRetryAfter)
}

// State returns the pressure as of the last sample and the live counts.
func (c *Controller) State() State {
	c.mu.Lock()
	signals := make(map[string]float64, len(c.signals))
	for k, v := range c.signals {
		signals[k] = v
	}
	c.mu.Unlock()
	return State{
		Pressure: math.Float64frombits(c.pressure.Load()),
		Shedding: c.shedding.Load(),
		Opening:  c.opening.Load(),
		Active:   c.active.Load(),
		Limit:    c.limit.Load(),
		Signals:  signals,
	}
}

func orFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func orDuration(v, def time.Duration) time.Duration {
	if v == 0 {
		return def
	}
	return v
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

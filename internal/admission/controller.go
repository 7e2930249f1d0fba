package admission

import (
	"context"
	"errors"
	"math"
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
	// takes effect only as games end). Below ResumeAt, while the limit is
	// in use, it grows by a twentieth of itself per sample (probeGrowth)
	// near the level of the last cuts, and by up to recoverGrowth of
	// itself, in proportion to the headroom left under ResumeAt, while it
	// is below recoverShare of that level: a limit cut deep by a transient
	// (a burst of sign-ins) is back in seconds, one near the node's
	// capacity creeps up to it instead of overshooting.
	backoff       = 0.9
	cutEvery      = 4
	probeGrowth   = 0.05
	recoverGrowth = 0.25
	recoverShare  = 0.9
	// overbook is how much faster than the node admits games its shed
	// clients are told to come back: a quarter more, so the door always has
	// a client when a place opens (a returning client it cannot take costs
	// one cheap busy answer), and the admission rate measured under load is
	// the node's capacity, not an echo of the returns.
	overbook = 1.25
	// rateHalfLife is how fast what the controller remembers of past load
	// fades (the peak admission rate, the level of the last cuts): a
	// transient (a burst of sign-ins cutting the limit) does not slow the
	// returns or the limit's recovery, a node that really slowed down is
	// paced slower within seconds.
	rateHalfLife = 10 * time.Second
	// rateWeight is the weight of one sample's admissions in the averaged
	// admission rate (about two seconds of samples at the default
	// Interval): the limit's steps admit bursts that one sample would take
	// for capacity.
	rateWeight = 0.125
)

// Shed reasons, the label of proofstell_admission_shed_total.
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
	// Now reads the clock the return times are paced on (default
	// time.Now); tests inject a simulated one.
	Now func() time.Time
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
	// admits counts games admitted since the last sample; rate is the
	// peak of the averaged admission rate (games/s, math.Float64bits) that
	// paces the returns of shed clients, and returnAt (Unix nanoseconds)
	// the last return time promised (see retryAfter).
	admits   atomic.Int64
	rate     atomic.Uint64
	returnAt atomic.Int64
	// avgRate is the averaged admission rate (Sample's goroutine only).
	avgRate float64

	mu      sync.Mutex // guards signals and smoothed (Sample's state)
	signals map[string]float64
	smooth  map[string]float64
	// sinceCut counts samples since the limit was last cut, and cutLevel
	// is the highest count of active games a cut was made at, fading with
	// rateHalfLife (Sample's goroutine only).
	sinceCut int
	cutLevel float64
}

// New validates opts and returns a controller; call Run to start sampling.
func New(opts Options) (*Controller, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Controller{opts: opts, signals: map[string]float64{}, smooth: map[string]float64{}}, nil
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
	if o.Now == nil {
		o.Now = time.Now
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
	c.adaptRate()
	c.opts.Metrics.Pressure.Set(pressure)
	c.opts.Metrics.Shedding.Set(boolFloat(c.shedding.Load()))
	c.opts.Metrics.Limit.Set(float64(c.limit.Load()))
}

// adapt cuts the limit past ShedAt (at most once every cutEvery samples)
// and grows it below ResumeAt while it is in use (at least 80 % of it
// taken): fast back towards the level of the last cuts, slowly past it;
// between the two it holds.
func (c *Controller) adapt(pressure float64) {
	active, limit := c.active.Load(), c.limit.Load()
	c.sinceCut++
	c.cutLevel *= c.fade()
	switch {
	case pressure >= c.opts.ShedAt:
		c.shedding.Store(true)
		if limit == 0 || c.sinceCut >= cutEvery {
			c.limit.Store(max(c.opts.MinLimit, int64(backoff*float64(active))))
			c.cutLevel = max(c.cutLevel, float64(active))
			c.sinceCut = 0
		}
	case pressure < c.opts.ResumeAt:
		c.shedding.Store(false)
		if limit > 0 && active*5 >= limit*4 {
			growth := probeGrowth
			if float64(limit) < recoverShare*c.cutLevel {
				growth = max(growth, recoverGrowth*(1-pressure/c.opts.ResumeAt))
			}
			c.limit.Store(limit + max(1, int64(growth*float64(limit))))
		}
	}
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

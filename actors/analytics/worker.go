package analytics

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/proofstell/proofstell/actors/runtime/drain"
	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers"
	"github.com/proofstell/proofstell/persistence"
)

// Defaults applied to zero Deps fields.
const (
	DefaultReadLimit      = 500
	DefaultBaseBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff     = 5 * time.Minute
	DefaultRequestTimeout = 30 * time.Second
)

// ConsumerPrefix starts every provider's cursor name ("analytics.posthog").
const ConsumerPrefix = "analytics."

// Deps are what a Worker needs.
type Deps struct {
	Store  persistence.OutboxReader
	Sender providers.Sender
	Mapper analytics.Mapper
	// Ticks triggers a drain per value; Run returns when it is closed.
	Ticks   <-chan time.Time
	Metrics *Metrics
	Logger  *slog.Logger
	// Now measures lag (default time.Now).
	Now func() time.Time
	// Sleep waits between retries, returning early with ctx's error
	// (default a timer); tests record the waits instead.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a value in [0, 1) for full-jitter backoff (default
	// math/rand/v2).
	Jitter func() float64
	// ReadLimit is the most rows read per round; BaseBackoff and
	// MaxBackoff shape the retry waits; RequestTimeout bounds one request.
	ReadLimit      int
	BaseBackoff    time.Duration
	MaxBackoff     time.Duration
	RequestTimeout time.Duration
	// Enabled is the runtime switch (settings features.analytics): while
	// it reports false the worker reads and sends nothing and its cursor
	// stays put, so turning it back on delivers what was queued meanwhile.
	// nil is always on.
	Enabled func() bool
}

// Worker drains the outbox to one provider. Run it once; Stop is
// idempotent and safe from any goroutine.
type Worker struct {
	deps     Deps
	consumer string
	loop     *drain.Loop
}

// New builds a worker, filling defaults.
func New(deps Deps) *Worker {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Sleep == nil {
		deps.Sleep = sleep
	}
	if deps.Jitter == nil {
		deps.Jitter = rand.Float64 //nolint:gosec // jitter spreads retries; it guards nothing
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Metrics == nil {
		deps.Metrics, _ = NewMetrics(nil)
	}
	deps.ReadLimit = cmpOr(deps.ReadLimit, DefaultReadLimit)
	deps.BaseBackoff = cmpOr(deps.BaseBackoff, DefaultBaseBackoff)
	deps.MaxBackoff = cmpOr(deps.MaxBackoff, DefaultMaxBackoff)
	deps.RequestTimeout = cmpOr(deps.RequestTimeout, DefaultRequestTimeout)
	name := deps.Sender.Name()
	return &Worker{deps: deps, consumer: ConsumerPrefix + name, loop: drain.NewLoop("analytics " + name)}
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Run drains on every tick until ctx ends, Stop is called or Ticks
// closes. A failed drain (the store) is logged and retried on the next
// tick; a provider's failures are retried inside the drain.
func (w *Worker) Run(ctx context.Context) {
	w.loop.Run(ctx, w.deps.Ticks, w.Drain, w.deps.Logger)
}

// Stop ends Run and waits for it (or ctx). Calling it again is harmless.
func (w *Worker) Stop(ctx context.Context) error { return w.loop.Stop(ctx) }

// Drain delivers everything readable now, round after round, and returns
// when caught up, on a store error or when ctx ends.
func (w *Worker) Drain(ctx context.Context) error {
	for {
		if !w.enabled() {
			return nil
		}
		n, err := w.round(ctx)
		if err != nil || n < w.deps.ReadLimit {
			return err
		}
	}
}

// enabled reports whether delivery is switched on now.
func (w *Worker) enabled() bool { return w.deps.Enabled == nil || w.deps.Enabled() }

// round reads one batch of rows and delivers it; it returns how many rows
// it read.
func (w *Worker) round(ctx context.Context) (int, error) {
	rows, cur, err := w.deps.Store.ReadAfter(ctx, w.consumer, analytics.Topics(), w.deps.ReadLimit)
	if err != nil {
		return 0, err
	}
	lag := w.deps.Metrics.lag.WithLabelValues(w.deps.Sender.Name())
	if len(rows) == 0 {
		lag.Set(0)
		return 0, nil
	}
	oldest := rows[0].CreatedAt
	for _, req := range analytics.Plan(w.mapRows(rows), cur, w.deps.Sender.Limits()) {
		lag.Set(w.deps.Now().Sub(oldest).Seconds())
		if err := w.deliver(ctx, req.Events, oldest); err != nil {
			return 0, err
		}
		if err := w.deps.Store.Advance(ctx, w.consumer, req.After); err != nil {
			return 0, err
		}
		if !w.enabled() {
			// Switched off mid-round: stop at the request just delivered;
			// the cursor says where to resume.
			return 0, nil
		}
	}
	lag.Set(0)
	return len(rows), nil
}

func (w *Worker) mapRows(rows []persistence.OutboxRow) []analytics.MappedRow {
	out := make([]analytics.MappedRow, 0, len(rows))
	for _, r := range rows {
		events, err := w.deps.Mapper.Map(r)
		if err != nil {
			w.deps.Metrics.failed.WithLabelValues(w.deps.Sender.Name(), "malformed").Inc()
			w.deps.Logger.Error("analytics: malformed outbox row", slog.Int64("row", r.At.ID), slog.Any("error", err))
		}
		out = append(out, analytics.MappedRow{At: r.At, Events: events})
	}
	return out
}

// errRefused marks a request the provider refused for good.
var errRefused = errors.New("refused by the provider")

// deliver sends one request until it is accepted or refused for good
// (logged, counted, nil: the cursor passes it), or ctx ends.
func (w *Worker) deliver(ctx context.Context, events []analytics.Event, oldest time.Time) error {
	if len(events) == 0 {
		return nil
	}
	name := w.deps.Sender.Name()
	for attempt := 0; ; attempt++ {
		err := w.send(ctx, events)
		if err == nil {
			w.deps.Metrics.delivered.WithLabelValues(name).Add(float64(len(events)))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		retry, after := providers.Retryable(err)
		if !retry {
			w.deps.Metrics.failed.WithLabelValues(name, "refused").Add(float64(len(events)))
			w.deps.Logger.Error("analytics: request refused, events dropped", slog.String("provider", name),
				slog.Int("events", len(events)), slog.Any("error", errors.Join(errRefused, err)))
			return nil
		}
		w.deps.Metrics.retried.WithLabelValues(name).Inc()
		w.deps.Logger.Warn("analytics: provider unavailable, retrying", slog.String("provider", name), slog.Any("error", err))
		wait := w.backoff(attempt, after)
		// The lag as it will be when the wait ends: it grows through an outage.
		w.deps.Metrics.lag.WithLabelValues(name).Set(w.deps.Now().Add(wait).Sub(oldest).Seconds())
		if err := w.deps.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func (w *Worker) send(ctx context.Context, events []analytics.Event) error {
	ctx, cancel := context.WithTimeout(ctx, w.deps.RequestTimeout)
	defer cancel()
	return w.deps.Sender.Send(ctx, events)
}

// backoff is full jitter over an exponential ceiling, never below the
// provider's Retry-After (itself capped at MaxBackoff).
func (w *Worker) backoff(attempt int, retryAfter time.Duration) time.Duration {
	ceiling := w.deps.MaxBackoff
	if attempt < 30 {
		ceiling = min(w.deps.BaseBackoff<<attempt, w.deps.MaxBackoff)
	}
	wait := time.Duration(w.deps.Jitter() * float64(ceiling))
	return max(wait, min(retryAfter, w.deps.MaxBackoff))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
